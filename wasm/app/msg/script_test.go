//go:build !(js && wasm)

package msg

import (
	"bytes"
	"os"
	"testing"
)

// TestScript checks that site/messages.js is what the catalog generates:
// run go generate ./wasm/app/msg after changing it.
func TestScript(t *testing.T) {
	want, err := Script()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(ScriptPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the catalog: run go generate ./wasm/app/msg", ScriptPath)
	}
	for _, m := range table {
		if in := bytes.Contains(want, []byte(`"`+string(m.Key)+`"`)); in != (m.Place == Page || m.Place == PageScript) {
			t.Errorf("%q (place %d) in messages.js: %v", m.Key, m.Place, in)
		}
	}
}
