package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/tools/internal/cli"
)

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := writeDir(dir, map[string][]byte{"old.txt": []byte("old"), "a/b.txt": []byte("b")}); err != nil {
		t.Fatal(err)
	}
	if err := writeDir(dir, map[string][]byte{"new.txt": []byte("new"), "new.txt.gz": []byte("z")}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "new.txt new.txt.gz" {
		t.Errorf("after a rebuild the folder holds %q, want only the new files", names)
	}
	// tools/serve sends a .gz sibling only if it is as new as its file.
	st, _ := os.Stat(filepath.Join(dir, "new.txt"))
	gz, _ := os.Stat(filepath.Join(dir, "new.txt.gz"))
	if gz.ModTime().Before(st.ModTime()) {
		t.Error("the .gz sibling is older than its file")
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v, want 0644", st.Mode().Perm())
	}
	// Nothing is left beside the folder.
	parent, _ := os.ReadDir(filepath.Dir(dir))
	if len(parent) != 1 {
		t.Errorf("the parent holds %d entries, want only the site", len(parent))
	}

	// A bad name fails the build and keeps the previous site.
	if err := writeDir(dir, map[string][]byte{"../escape.txt": nil}); err == nil {
		t.Error("writeDir with ../escape.txt: no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "new.txt")); err != nil {
		t.Errorf("a failed build removed the previous site: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if err := writeDir(file, nil); err == nil {
		t.Error("writeDir over a file: no error")
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "src")
	for name, f := range testSite() {
		os.MkdirAll(site, 0o755)
		if err := os.WriteFile(filepath.Join(site, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wasm := filepath.Join(dir, "main.wasm")
	os.WriteFile(wasm, testWasm, 0o644)
	glue := filepath.Join(dir, "wasm_exec.js")
	os.WriteFile(glue, []byte("// glue"), 0o644)
	notWasm := filepath.Join(dir, "main.js")
	os.WriteFile(notWasm, []byte("not wasm"), 0o644)
	out, single := filepath.Join(dir, "dist", "site"), filepath.Join(dir, "dist", "tegaki.html")

	var stdout, stderr bytes.Buffer
	err := run([]string{"-site", site, "-wasm", wasm, "-wasm-exec", glue, "-o", out, "-single", single}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for _, name := range []string{"index.html", "sw.js", "manifest.webmanifest"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(single); err != nil {
		t.Error(err)
	}
	if !strings.Contains(stdout.String(), "sw.js") || !strings.Contains(stdout.String(), "tegaki.html") {
		t.Errorf("run printed %q, want the files it wrote", stdout.String())
	}

	for _, tt := range []struct {
		name  string
		args  []string
		usage bool // a usage error (exit status 2), or -h
	}{
		{"help", []string{"-h"}, true},
		{"no wasm flag", []string{"-site", site}, true},
		{"stray argument", []string{"-wasm", wasm, "extra"}, true},
		{"unknown flag", []string{"-wasm", wasm, "-x"}, true},
		{"missing wasm", []string{"-site", site, "-wasm", filepath.Join(dir, "none.wasm"), "-wasm-exec", glue, "-o", out}, false},
		{"not wasm", []string{"-site", site, "-wasm", notWasm, "-wasm-exec", glue, "-o", out}, false},
		{"output is the sources", []string{"-site", site, "-wasm", wasm, "-wasm-exec", glue, "-o", site}, false},
		{"output holds the sources", []string{"-site", site, "-wasm", wasm, "-wasm-exec", glue, "-o", dir}, false},
		{"single in the sources", []string{"-site", site, "-wasm", wasm, "-wasm-exec", glue, "-o", out, "-single", filepath.Join(site, "x.html")}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil {
				t.Fatal("no error")
			}
			var usage cli.UsageError
			isUsage := errors.As(err, &usage) || errors.Is(err, flag.ErrHelp)
			if isUsage != tt.usage {
				t.Errorf("run(%q) = %v; usage error %v, want %v", tt.args, err, isUsage, tt.usage)
			}
			if tt.usage && !strings.Contains(stderr.String(), "Usage: bundle") {
				t.Errorf("no usage text on stderr: %q", stderr.String())
			}
		})
	}
	// The failed runs left the good build in place.
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("a failed run removed the previous build: %v", err)
	}
}
