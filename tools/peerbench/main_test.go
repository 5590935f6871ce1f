package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		say    []string
	}{
		{[]string{"-h"}, 0, []string{"Usage: peerbench", "-rounds", "-skip-wasm", "-json", "onnxruntime-web@" + ortVersion, "Examples:"}},
		{[]string{"-rounds", "0"}, 2, []string{"-rounds of at least 1", "Usage: peerbench"}},
		{[]string{"-benchtime", "0s"}, 2, []string{"positive -benchtime"}},
		{[]string{"extra"}, 2, []string{"want no arguments"}},
		{[]string{"-no-such-flag"}, 2, []string{"-no-such-flag"}},
	}
	for _, tt := range tests {
		var stdout, stderr strings.Builder
		if got := run(tt.args, &stdout, &stderr); got != tt.status {
			t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, got, tt.status, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("run(%q) printed on stdout:\n%s", tt.args, stdout.String())
		}
		for _, s := range tt.say {
			if !strings.Contains(stderr.String(), s) {
				t.Errorf("run(%q) does not say %q:\n%s", tt.args, s, stderr.String())
			}
		}
	}
}

func TestGEMMShapes(t *testing.T) {
	var log strings.Builder
	got := gemmShapes(measurements{
		"gemm/TN/400x10000x32": 20, "gemm/NN/32x10000x400": 22, "gemm/oddly/named": 1, "train/MLP50": 4e4,
	}, &log)
	var names []string
	for _, g := range got {
		names = append(names, g.Name)
	}
	if want := "NN/32x10000x400 TN/400x10000x32"; strings.Join(names, " ") != want {
		t.Errorf("shapes %q, want %q", names, want)
	}
	if !strings.Contains(log.String(), "BenchmarkGEMM/oddly/named") {
		t.Errorf("log does not name the shape it left out:\n%s", log.String())
	}

	log.Reset()
	if got := gemmShapes(measurements{"train/MLP50": 4e4}, &log); len(got) != 0 {
		t.Errorf("shapes %v from no GEMM figures", got)
	}
	if !strings.Contains(log.String(), "no GEMM rows") {
		t.Errorf("log does not say there are no GEMM rows:\n%s", log.String())
	}
}

func TestLastJSON(t *testing.T) {
	var m measurements
	if err := lastJSON([]byte("a warning\n{\"predict/MLP50\": 55.4}\n"), &m); err != nil || m["predict/MLP50"] != 55.4 {
		t.Errorf("lastJSON = %v, %v", m, err)
	}
	if err := lastJSON([]byte("{\"predict/MLP50\": 55.4}\nTraceback\n"), &m); err == nil {
		t.Error("lastJSON accepts a last line that is not JSON")
	}
}

// TestScripts checks that the embedded scripts at least parse, where
// Python and Node are there to say so; neither needs PyTorch or ORT-web.
func TestScripts(t *testing.T) {
	dir := t.TempDir()
	for _, s := range []struct {
		file string
		src  []byte
		tool string
		args []string
	}{
		{"torchbench.py", torchScript, "python3", []string{"-m", "py_compile"}},
		{"ortbench.mjs", ortScript, "node", []string{"--check"}},
	} {
		path, err := exec.LookPath(s.tool)
		if err != nil {
			t.Logf("no %s: %s not checked", s.tool, s.file)
			continue
		}
		file := filepath.Join(dir, s.file)
		if err := os.WriteFile(file, s.src, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(path, append(s.args, file)...).CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s", s.tool, s.file, err, out)
		}
	}
}
