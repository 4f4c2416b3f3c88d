"""Import pipeline: read a file, detect its CRM format and entity, map columns, parse, validate and load."""
