"""select module placeholder (filled in once the library's select lands)."""
error = OSError
