package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// TestClassifyWhy checks that -why writes, for each file, the heat map
// that pretrained draws for the same input, of the answer or of -digit.
func TestClassifyWhy(t *testing.T) {
	p, err := pretrained.NewPredictor()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		args  []string
		digit int
	}{
		{"answer", nil, pretrained.Top},
		{"digit 2", []string{"-digit", "2"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "why")
			args := append([]string{"-why", dir}, tt.args...)
			status, _, stderr := classifyCmd(t, nil, append(args, "testdata/seven.png", "testdata/one.png", "testdata/blank.png")...)
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
				if info, err := e.Info(); err != nil || info.Mode().Perm() != 0o644 {
					t.Errorf("%s: %v, %v; want mode 0644", e.Name(), info, err)
				}
			}
			if want := []string{"one.why.png", "seven.why.png"}; !slices.Equal(names, want) {
				t.Fatalf("why folder holds %v, want %v (and no temporary files)", names, want)
			}
			for _, name := range []string{"seven", "one"} {
				got := readPNG(t, filepath.Join(dir, name+".why.png"))
				in := inputOf(t, filepath.Join("testdata", name+".png"))
				_, m := p.Explain(in, tt.digit)
				want := m.Image(whyScale)
				if b := got.Bounds(); b != want.Bounds() {
					t.Errorf("%s.why.png is %v, want %v", name, b, want.Bounds())
					continue
				}
				if !sameImage(got, want) {
					t.Errorf("%s.why.png differs from the map pretrained draws", name)
				}
			}
		})
	}
}

func TestClassifyWhyBadDigit(t *testing.T) {
	status, stdout, stderr := classifyCmd(t, nil, "-why", t.TempDir(), "-digit", "10", "testdata/seven.png")
	if status != 2 || stdout != "" || !strings.Contains(stderr, "-digit 10") || !strings.Contains(stderr, "Usage: classify") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and usage naming -digit 10", status, stdout, stderr)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func inputOf(t *testing.T, path string) *digit.Input {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := imagefile.Input(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// sameImage reports whether a and b have the same colours at every pixel.
func sameImage(a, b image.Image) bool {
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}
