package mnist

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadSet(t *testing.T) {
	t.Parallel()
	images := idx(imagesMagic, []uint32{3, 1, 2}, []byte{0, 255, 255, 0, 7, 7})
	labels := idx(labelsMagic, []uint32{3}, []byte{3, 9, 0})
	// badCRC is gzipped labels with the last byte of the CRC-32 flipped.
	badCRC := gzipped(t, labels)
	badCRC[len(badCRC)-5] ^= 0xff
	tests := []struct {
		name           string
		images, labels []byte
		labelsName     string // "labels" unless set
		wantErr        error  // nil for success
	}{
		{name: "raw", images: images, labels: labels},
		{name: "gzipped", images: gzipped(t, images), labels: gzipped(t, labels)},
		{name: "one of each", images: images, labels: gzipped(t, labels)},
		{name: "gzip named raw, raw named .gz", images: gzipped(t, images), labels: labels, labelsName: "labels.gz"},
		{name: "trailing bytes", images: append(images[:len(images):len(images)], 1, 2, 3), labels: gzipped(t, append(labels[:len(labels):len(labels)], 4))},
		{name: "bytes after the gzip stream", images: append(gzipped(t, images), "garbage"...), labels: labels},

		{name: "count mismatch", images: images, labels: idx(labelsMagic, []uint32{2}, []byte{1, 2}), wantErr: ErrFormat},
		{name: "label 10", images: images, labels: idx(labelsMagic, []uint32{3}, []byte{1, 10, 2}), wantErr: ErrFormat},
		{name: "label 255 gzipped", images: images, labels: gzipped(t, idx(labelsMagic, []uint32{3}, []byte{1, 2, 255})), wantErr: ErrFormat},
		{name: "swapped files", images: labels, labels: images, wantErr: ErrFormat},
		{name: "truncated raw", images: images[:len(images)-1], labels: labels, wantErr: ErrFormat},
		{name: "truncated inside gzip", images: gzipped(t, images[:len(images)-1]), labels: labels, wantErr: ErrFormat},
		{name: "gzip stream cut short", images: gzipped(t, images)[:20], labels: labels, wantErr: errAny},
		{name: "gzip CRC mismatch", images: images, labels: badCRC, wantErr: gzip.ErrChecksum},
		{name: "gzip magic only", images: []byte{0x1f, 0x8b}, labels: labels, wantErr: errAny},
		{name: "empty images", images: nil, labels: labels, wantErr: ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			imagesPath, labelsPath := filepath.Join(dir, "images"), filepath.Join(dir, "labels")
			if tt.labelsName != "" {
				labelsPath = filepath.Join(dir, tt.labelsName)
			}
			writeFile(t, imagesPath, tt.images)
			writeFile(t, labelsPath, tt.labels)
			s, err := ReadSet(imagesPath, labelsPath)
			switch {
			case tt.wantErr == errAny:
				if err == nil {
					t.Errorf("ReadSet succeeded; want an error")
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("ReadSet err = %v; want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("ReadSet: %v", err)
			case s.Len() != 3 || s.Rows != 1 || s.Cols != 2 || !bytes.Equal(s.Labels, []byte{3, 9, 0}) || !bytes.Equal(s.Images, []byte{0, 255, 255, 0, 7, 7}):
				t.Errorf("ReadSet = %+v; want 3 images of 1x2 labelled 3, 9, 0", s)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "mnist: ") {
				t.Errorf("ReadSet err = %q; want the prefix \"mnist: \"", err)
			}
		})
	}
}

// errAny stands for any error in test tables.
var errAny = errors.New("any error")

func TestReadSetMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	labels := filepath.Join(dir, "labels")
	writeFile(t, labels, idx(labelsMagic, []uint32{1}, []byte{1}))
	_, err := ReadSet(filepath.Join(dir, "images"), labels)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadSet of a missing file: err = %v; want fs.ErrNotExist", err)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	trainImages := idx(imagesMagic, []uint32{2, 1, 2}, []byte{0, 255, 255, 0})
	trainLabels := idx(labelsMagic, []uint32{2}, []byte{3, 9})
	testImages := idx(imagesMagic, []uint32{1, 1, 2}, []byte{1, 2})
	testLabels := idx(labelsMagic, []uint32{1}, []byte{7})
	tests := []struct {
		name     string
		sep, ext string // the separator before "idx" and the extension
		gz       bool
	}{
		{"as published", "-", ".gz", true},
		{"unpacked", "-", "", false},
		{"mirror names", ".", "", false},
		{"mirror names gzipped", ".", ".gz", true},
		{"gzipped without .gz", "-", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for i, data := range [][]byte{trainImages, trainLabels, testImages, testLabels} {
				if tt.gz {
					data = gzipped(t, data)
				}
				name := strings.Replace(names[i], "-idx", tt.sep+"idx", 1)
				writeFile(t, filepath.Join(dir, name+tt.ext), data)
			}
			train, test, err := Load(dir)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if train.Len() != 2 || train.Labels[1] != 9 || train.Image(1)[0] != 255 {
				t.Errorf("Load train = %+v; want 2 images labelled 3, 9", train)
			}
			if test.Len() != 1 || test.Rows != 1 || test.Cols != 2 || test.Labels[0] != 7 {
				t.Errorf("Load test = %+v; want 1 image of 1x2 labelled 7", test)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	images := idx(imagesMagic, []uint32{2, 1, 1}, []byte{1, 2})
	labels := idx(labelsMagic, []uint32{2}, []byte{1, 2})
	tests := []struct {
		name    string
		files   map[string][]byte // name in dir → contents
		wantErr error
		mention string // a name the error must mention
	}{
		{
			name:    "empty folder",
			files:   map[string][]byte{},
			wantErr: fs.ErrNotExist, mention: "train-images-idx3-ubyte",
		},
		{
			name: "no test labels",
			files: map[string][]byte{
				"train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": labels,
				"t10k-images-idx3-ubyte": images,
			},
			wantErr: fs.ErrNotExist, mention: "t10k-labels-idx1-ubyte",
		},
		{
			name: "count mismatch in test",
			files: map[string][]byte{
				"train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": labels,
				"t10k-images-idx3-ubyte": images, "t10k-labels-idx1-ubyte": idx(labelsMagic, []uint32{1}, []byte{1}),
			},
			wantErr: ErrFormat, mention: "t10k-labels-idx1-ubyte",
		},
		{
			name: "bad label in train",
			files: map[string][]byte{
				"train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": idx(labelsMagic, []uint32{2}, []byte{1, 10}),
				"t10k-images-idx3-ubyte": images, "t10k-labels-idx1-ubyte": labels,
			},
			wantErr: ErrFormat, mention: "train-labels-idx1-ubyte",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tt.files {
				writeFile(t, filepath.Join(dir, name), data)
			}
			_, _, err := Load(dir)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Load err = %v; want %v", err, tt.wantErr)
			}
			// The file to fix is the one thing a user needs from the message.
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Load err = %q; want it to name %s", err, tt.mention)
			}
		})
	}
}
