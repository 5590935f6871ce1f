package digit

import (
	"go/build"
	"runtime"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the package's promise: every front end can
// prepare digits without carrying another module.
func TestStandardLibraryOnly(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("go/build reads the source tree, which is the host's")
	}
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range pkg.Imports {
		// Paths outside the standard library start with a domain name.
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			t.Errorf("package digit imports %s, want the standard library only", path)
		}
	}
}
