package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
)

// The pictures in testdata are MNIST test digits 0, 1 and 2 (a 7, a 2 and
// a 1) as a person might save them: black on white at 280×280 (seven.png),
// a JPEG at 200×200 (two.jpg) and black ink on a transparent background at
// 140×140 (one.png); blank.png is white and notes.txt is not a picture.

// classifyCmd runs the command and returns its exit status and output.
func classifyCmd(t *testing.T, stdin []byte, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(args, bytes.NewReader(stdin), &out, &errOut)
	return status, out.String(), errOut.String()
}

func TestClassify(t *testing.T) {
	status, stdout, stderr := classifyCmd(t, nil, "testdata/seven.png", "testdata/two.jpg", "testdata/one.png")
	if status != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", status, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	want := []string{"testdata/seven.png: 7 (", "testdata/two.jpg: 2 (", "testdata/one.png: 1 ("}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s\nwant %d lines", stdout, len(want))
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, want[i]) || !strings.Contains(line, "), then ") {
			t.Errorf("line %d is %q, want it to start with %q and name two more candidates", i, line, want[i])
		}
	}
}

// A bad file among good ones gets its error, and the others still run.
func TestClassifyBadFiles(t *testing.T) {
	status, stdout, stderr := classifyCmd(t, nil,
		"testdata/blank.png", "testdata/seven.png", "testdata/notes.txt", "testdata/missing.png", "testdata/one.png")
	if status != 1 {
		t.Errorf("exit %d, want 1", status)
	}
	if n := strings.Count(stdout, "\n"); n != 2 || !strings.Contains(stdout, "seven.png: 7") || !strings.Contains(stdout, "one.png: 1") {
		t.Errorf("stdout:\n%s\nwant the two good files", stdout)
	}
	for _, want := range []string{
		"classify: testdata/blank.png: digit: no digit found",
		"classify: testdata/notes.txt: imagefile: not a PNG, JPEG, GIF, BMP or WebP file: image: unknown format",
		"classify: testdata/missing.png: open testdata/missing.png: no such file or directory",
	} {
		if !strings.Contains(stderr, want+"\n") && !strings.Contains(stderr, want+":") {
			t.Errorf("stderr:\n%s\nwant a line starting %q", stderr, want)
		}
	}
}

func TestClassifyJSON(t *testing.T) {
	seven, err := os.ReadFile("testdata/seven.png")
	if err != nil {
		t.Fatal(err)
	}
	status, stdout, _ := classifyCmd(t, seven, "-json", "testdata/two.jpg", "-", "testdata/blank.png")
	if status != 1 {
		t.Errorf("exit %d, want 1", status)
	}
	var got []result
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, r)
	}
	if len(got) != 3 {
		t.Fatalf("%d JSON lines, want 3:\n%s", len(got), stdout)
	}
	for i, want := range []struct {
		file  string
		digit int // -1 for an error
	}{{"testdata/two.jpg", 2}, {"-", 7}, {"testdata/blank.png", -1}} {
		r := got[i]
		if r.File != want.file {
			t.Errorf("line %d: file %q, want %q", i, r.File, want.file)
		}
		if want.digit < 0 {
			if r.Error == "" || r.Digit != nil {
				t.Errorf("line %d: %+v, want an error and no digit", i, r)
			}
			continue
		}
		if r.Error != "" || r.Digit == nil || *r.Digit != want.digit {
			t.Errorf("line %d: %+v, want digit %d", i, r, want.digit)
			continue
		}
		var sum float32
		for _, p := range r.Probabilities {
			sum += p
		}
		if len(r.Probabilities) != 10 || sum < 0.999 || sum > 1.001 {
			t.Errorf("line %d: probabilities %v, want ten summing to 1", i, r.Probabilities)
		}
		if len(r.Candidates) != 3 || r.Candidates[0].Digit != want.digit || r.Candidates[0].Probability != r.Probability ||
			r.Candidates[1].Probability > r.Candidates[0].Probability || r.Candidates[2].Probability > r.Candidates[1].Probability {
			t.Errorf("line %d: candidates %+v, want the three most probable, best first", i, r.Candidates)
		}
	}
}

func TestClassifyStdin(t *testing.T) {
	two, err := os.ReadFile("testdata/two.jpg")
	if err != nil {
		t.Fatal(err)
	}
	status, stdout, stderr := classifyCmd(t, two, "-")
	if status != 0 || !strings.HasPrefix(stdout, "-: 2 (") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and a 2", status, stdout, stderr)
	}
	status, _, stderr = classifyCmd(t, nil, "-")
	if status != 1 || !strings.Contains(stderr, "classify: -: ") {
		t.Errorf("empty stdin: exit %d, stderr %q; want 1 and an error", status, stderr)
	}
}

func TestClassifyDebug(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "seen")
	seven, err := os.ReadFile("testdata/seven.png")
	if err != nil {
		t.Fatal(err)
	}
	status, _, stderr := classifyCmd(t, seven, "-debug", dir, "testdata/seven.png", "-", "testdata/one.png", "testdata/blank.png", "testdata/seven.png")
	if status != 1 {
		t.Errorf("exit %d, stderr %q; want 1 for blank.png", status, stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"one.28x28.png", "seven-2.28x28.png", "seven.28x28.png", "stdin.28x28.png"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("debug folder holds %v, want %v (and no temporary files)", names, want)
	}
	// Written as every tool writes its files: readable by all.
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", e.Name(), info.Mode().Perm())
		}
	}
	f, err := os.Open(filepath.Join(dir, "seven.28x28.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != digit.Size || b.Dy() != digit.Size {
		t.Errorf("debug image is %v, want %d×%d", b, digit.Size, digit.Size)
	}
}

func TestClassifyModel(t *testing.T) {
	status, stdout, stderr := classifyCmd(t, nil, "-model", "../../nn/pretrained/tegaki.safetensors", "testdata/seven.png")
	if status != 0 || !strings.HasPrefix(stdout, "testdata/seven.png: 7 (") {
		t.Errorf("-model with the embedded weights: exit %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	status, _, stderr = classifyCmd(t, nil, "-model", "testdata/missing.safetensors", "testdata/seven.png")
	if status != 1 || !strings.Contains(stderr, "missing.safetensors") {
		t.Errorf("-model with a missing file: exit %d, stderr %q; want 1 and the file named", status, stderr)
	}
	status, _, stderr = classifyCmd(t, nil, "-model", "testdata/seven.png", "testdata/seven.png")
	if status != 1 || stderr == "" {
		t.Errorf("-model with a picture: exit %d, stderr %q; want 1 and an error", status, stderr)
	}
}

func TestClassifyUsage(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		status int
		stderr string
	}{
		{"no files", nil, 2, "no files to classify"},
		{"unknown flag", []string{"-x", "a.png"}, 2, "flag provided but not defined"},
		{"help", []string{"-h"}, 0, "Examples:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := classifyCmd(t, nil, tt.args...)
			if status != tt.status || stdout != "" || !strings.Contains(stderr, tt.stderr) || !strings.Contains(stderr, "Usage: classify") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant %d, nothing, and usage with %q", status, stdout, stderr, tt.status, tt.stderr)
			}
		})
	}
}

// A file that is no picture, and a -model that is no model, are named for
// what they are.
func TestClassifyWhatIsWrong(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.png")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"empty file", []string{empty}, "empty.png: imagefile: empty file"},
		{"directory", []string{"testdata"}, "testdata: imagefile: read testdata: is a directory"},
		{"picture as a model", []string{"-model", "testdata/seven.png", "testdata/seven.png"}, "not a valid tegaki model"},
	} {
		status, _, stderr := classifyCmd(t, nil, tt.args...)
		if status != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", tt.name, status, stderr, tt.want)
		}
	}
}
