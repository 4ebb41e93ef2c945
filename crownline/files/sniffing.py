"""What a file really is, from its bytes (issue 13): filled by the files part."""
