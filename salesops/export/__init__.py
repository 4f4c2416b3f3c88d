"""Downloads: CSV/XLSX/Markdown/PDF bytes from plain frames, safe to open in Excel."""
