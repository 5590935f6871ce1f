package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// idx builds an IDX file: magic, dimensions, then the bytes.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func TestReadImages(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		wantErr bool
	}{
		{"two 2x3 images", idx(imagesMagic, []uint32{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), false},
		{"trailing bytes ignored", idx(imagesMagic, []uint32{1, 1, 1}, []byte{7, 8}), false},
		{"empty", nil, true},
		{"short header", []byte{0, 0, 8, 3, 0}, true},
		{"labels magic", idx(labelsMagic, []uint32{1, 1, 1}, []byte{1}), true},
		{"zero rows", idx(imagesMagic, []uint32{1, 0, 3}, nil), true},
		{"huge side", idx(imagesMagic, []uint32{1, 5000, 5000}, nil), true},
		{"huge count, tiny file", idx(imagesMagic, []uint32{1 << 30, 28, 28}, []byte{1, 2, 3}), true},
		{"truncated", idx(imagesMagic, []uint32{2, 2, 2}, []byte{1, 2, 3}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			images, n, rows, cols, err := ReadImages(bytes.NewReader(tt.data))
			if tt.wantErr {
				if !errors.Is(err, ErrFormat) {
					t.Errorf("ReadImages = %d images, err %v; want ErrFormat", n, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(images) != n*rows*cols {
				t.Errorf("%d bytes for %d images of %dx%d", len(images), n, rows, cols)
			}
		})
	}
}

func TestReadLabels(t *testing.T) {
	if l, err := ReadLabels(bytes.NewReader(idx(labelsMagic, []uint32{3}, []byte{7, 2, 1}))); err != nil || !bytes.Equal(l, []byte{7, 2, 1}) {
		t.Errorf("ReadLabels = %v, %v; want [7 2 1]", l, err)
	}
	for _, bad := range [][]byte{nil, idx(imagesMagic, []uint32{1}, []byte{1}), idx(labelsMagic, []uint32{5}, []byte{1}), idx(labelsMagic, []uint32{1 << 29}, nil)} {
		if _, err := ReadLabels(bytes.NewReader(bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("ReadLabels(%x) err = %v, want ErrFormat", bad, err)
		}
	}
}

func writeFile(t *testing.T, path string, data []byte, gz bool) {
	t.Helper()
	if gz {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(data)
		w.Close()
		data = buf.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadLayouts(t *testing.T) {
	images := idx(imagesMagic, []uint32{2, 1, 2}, []byte{0, 255, 255, 0})
	labels := idx(labelsMagic, []uint32{2}, []byte{3, 9})
	for _, layout := range []struct {
		name, sep, ext string
		gz             bool
	}{{"gzipped", "-", ".gz", true}, {"raw", "-", "", false}, {"dotted mirror names", ".", "", false}, {"gzip without .gz", "-", "", true}} {
		t.Run(layout.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, p := range []string{"train", "t10k"} {
				writeFile(t, filepath.Join(dir, p+"-images"+layout.sep+"idx3-ubyte"+layout.ext), images, layout.gz)
				writeFile(t, filepath.Join(dir, p+"-labels"+layout.sep+"idx1-ubyte"+layout.ext), labels, layout.gz)
			}
			train, test, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if train.Len() != 2 || test.Rows != 1 || test.Cols != 2 || train.Labels[1] != 9 || train.Image(1)[0] != 255 {
				t.Errorf("Load = %+v, %+v", train, test)
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	images := idx(imagesMagic, []uint32{2, 1, 1}, []byte{1, 2})
	tests := []struct {
		name   string
		labels []byte
	}{
		{"count mismatch", idx(labelsMagic, []uint32{3}, []byte{1, 2, 3})},
		{"label not a digit", idx(labelsMagic, []uint32{2}, []byte{1, 10})},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for _, p := range []string{"train", "t10k"} {
			writeFile(t, filepath.Join(dir, p+"-images-idx3-ubyte"), images, false)
			writeFile(t, filepath.Join(dir, p+"-labels-idx1-ubyte"), tt.labels, false)
		}
		if _, _, err := Load(dir); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Load err = %v, want ErrFormat", tt.name, err)
		}
	}
	if _, _, err := Load(t.TempDir()); err == nil {
		t.Error("Load of an empty folder succeeded")
	}
}

// TestMNIST reads the real data set from the GoMNIST module.
func TestMNIST(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 || train.Rows != 28 || train.Cols != 28 {
		t.Fatalf("train %d, test %d images of %dx%d; want 60000 and 10000 of 28x28", train.Len(), test.Len(), train.Rows, train.Cols)
	}
	if train.Labels[0] != 5 || test.Labels[0] != 7 {
		t.Errorf("first labels %d and %d, want 5 and 7", train.Labels[0], test.Labels[0])
	}
	var counts [10]int
	for _, l := range train.Labels {
		counts[l]++
	}
	for d, c := range counts {
		if c < 5000 || c > 7000 {
			t.Errorf("%d training images of digit %d, want 5000 to 7000", c, d)
		}
	}
}

func FuzzReadImages(f *testing.F) {
	f.Add(idx(imagesMagic, []uint32{1, 2, 2}, []byte{1, 2, 3, 4}))
	f.Add(idx(imagesMagic, []uint32{1 << 30, 28, 28}, nil))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		images, n, rows, cols, err := ReadImages(bytes.NewReader(data))
		if err == nil && len(images) != n*rows*cols {
			t.Fatalf("%d bytes for %d images of %dx%d", len(images), n, rows, cols)
		}
	})
}

func FuzzReadLabels(f *testing.F) {
	f.Add(idx(labelsMagic, []uint32{3}, []byte{1, 2, 3}))
	f.Add(idx(labelsMagic, []uint32{1 << 27}, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		labels, err := ReadLabels(bytes.NewReader(data))
		if err == nil && len(labels) != int(binary.BigEndian.Uint32(data[4:])) {
			t.Fatalf("%d labels, header says %d", len(labels), binary.BigEndian.Uint32(data[4:]))
		}
	})
}
