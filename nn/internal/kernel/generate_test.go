//go:build !js

package kernel

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestGenerated checks that micro_amd64.s and its stubs are what the
// generator in ./asm writes, so that nobody edits the assembly by hand or
// changes the generator without regenerating it. (Not under js/wasm, which
// cannot run the go command.)
func TestGenerated(t *testing.T) {
	dir := t.TempDir()
	out, stubs := filepath.Join(dir, "micro_amd64.s"), filepath.Join(dir, "micro_stub_amd64.go")
	cmd := exec.Command("go", "run", "./asm", "-out", out, "-stubs", stubs)
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./asm: %v\n%s", err, msg)
	}
	for _, f := range []struct{ committed, generated string }{
		{"micro_amd64.s", out}, {"micro_stub_amd64.go", stubs},
	} {
		want, err := os.ReadFile(f.committed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f.generated)
		if err != nil {
			t.Fatal(err)
		}
		// The first line names the command, with its file names.
		if !bytes.Equal(afterFirstLine(got), afterFirstLine(want)) {
			t.Errorf("%s differs from what ./asm generates: run go generate ./nn/internal/kernel", f.committed)
		}
	}
}

// TestAVX2Registers checks that the kernels use only the sixteen vector
// registers of AVX2: avo, short of registers, would take AVX-512's.
func TestAVX2Registers(t *testing.T) {
	src, err := os.ReadFile("micro_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	if r := regexp.MustCompile(`\b([XY](1[6-9]|2[0-9]|3[01])|Z[0-9]+|K[1-7])\b`).Find(src); r != nil {
		t.Errorf("micro_amd64.s uses %s, which needs AVX-512", r)
	}
}

func afterFirstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return b
}
