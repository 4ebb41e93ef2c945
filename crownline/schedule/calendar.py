"""Working-day arithmetic, pure (issue 13): filled by the schedule part."""
