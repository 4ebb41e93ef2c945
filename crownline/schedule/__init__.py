"""The lab's work schedule (working days and hours, breaks, days off, exceptions) and the due
dates it gives: production days per service, counted in working days, or worked back from the
patient's appointment."""
