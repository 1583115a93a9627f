"""keguan (科管): the platform of a county Science & Technology Bureau and its Party branch."""
