package mnist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"
)

// idx builds an IDX file: the magic, the dimensions, then the data.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

// seq returns n bytes 1, 2, 3, ….
func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i + 1)
	}
	return b
}

func TestReadImages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		data          []byte
		n, rows, cols int // when the data is valid
		wantFormatErr bool
	}{
		{name: "two 2x3", data: idx(imagesMagic, []uint32{2, 2, 3}, seq(12)), n: 2, rows: 2, cols: 3},
		{name: "one pixel", data: idx(imagesMagic, []uint32{1, 1, 1}, []byte{255}), n: 1, rows: 1, cols: 1},
		{name: "MNIST shape", data: idx(imagesMagic, []uint32{3, 28, 28}, seq(3*28*28)), n: 3, rows: 28, cols: 28},
		// More than firstChunk bytes, so readN has to grow its buffer.
		{name: "several chunks", data: idx(imagesMagic, []uint32{300, 28, 28}, seq(300*28*28)), n: 300, rows: 28, cols: 28},
		{name: "largest side", data: idx(imagesMagic, []uint32{1, 1, 1024}, seq(1024)), n: 1, rows: 1, cols: 1024},
		{name: "trailing bytes ignored", data: idx(imagesMagic, []uint32{1, 1, 2}, []byte{7, 8, 9, 10}), n: 1, rows: 1, cols: 2},

		{name: "empty", data: nil, wantFormatErr: true},
		{name: "short header", data: []byte{0, 0, 8, 3, 0, 0, 0}, wantFormatErr: true},
		{name: "header only", data: idx(imagesMagic, []uint32{1, 1, 1}, nil), wantFormatErr: true},
		{name: "labels magic", data: idx(labelsMagic, []uint32{1, 1, 1}, []byte{1}), wantFormatErr: true},
		{name: "int32 element type", data: idx(0x00000c03, []uint32{1, 1, 1}, []byte{1, 2, 3, 4}), wantFormatErr: true},
		{name: "gzip magic", data: []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0}, wantFormatErr: true},
		{name: "zero images", data: idx(imagesMagic, []uint32{0, 28, 28}, nil), wantFormatErr: true},
		{name: "zero rows", data: idx(imagesMagic, []uint32{1, 0, 3}, nil), wantFormatErr: true},
		{name: "zero cols", data: idx(imagesMagic, []uint32{1, 3, 0}, nil), wantFormatErr: true},
		{name: "rows over 1024", data: idx(imagesMagic, []uint32{1, 1025, 1}, seq(1025)), wantFormatErr: true},
		{name: "cols over 1024", data: idx(imagesMagic, []uint32{1, 1, 1025}, seq(1025)), wantFormatErr: true},
		{name: "sides of 2^32-1", data: idx(imagesMagic, []uint32{1<<32 - 1, 1<<32 - 1, 1<<32 - 1}, nil), wantFormatErr: true},
		// 2739147·28·28 is just over 1<<31 pixels.
		{name: "pixels over limit", data: idx(imagesMagic, []uint32{2739147, 28, 28}, seq(100)), wantFormatErr: true},
		{name: "huge count, tiny file", data: idx(imagesMagic, []uint32{1 << 21, 32, 32}, seq(3)), wantFormatErr: true},
		{name: "truncated in first image", data: idx(imagesMagic, []uint32{2, 2, 2}, seq(3)), wantFormatErr: true},
		{name: "truncated in last image", data: idx(imagesMagic, []uint32{2, 2, 2}, seq(7)), wantFormatErr: true},
		{name: "truncated after a chunk", data: idx(imagesMagic, []uint32{300, 28, 28}, seq(firstChunk+1)), wantFormatErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			images, n, rows, cols, err := ReadImages(bytes.NewReader(tt.data))
			if tt.wantFormatErr {
				if !errors.Is(err, ErrFormat) {
					t.Errorf("ReadImages = %d images of %dx%d, err %v; want an ErrFormat", n, rows, cols, err)
				}
				if images != nil || n != 0 || rows != 0 || cols != 0 {
					t.Errorf("ReadImages returned %d bytes, %d, %d, %d with an error; want nil, 0, 0, 0", len(images), n, rows, cols)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadImages: %v", err)
			}
			if n != tt.n || rows != tt.rows || cols != tt.cols {
				t.Errorf("ReadImages = %d images of %dx%d; want %d of %dx%d", n, rows, cols, tt.n, tt.rows, tt.cols)
			}
			if want := tt.data[16 : 16+n*rows*cols]; !bytes.Equal(images, want) {
				t.Errorf("ReadImages pixels differ from the file's (got %d bytes, want %d)", len(images), len(want))
			}
		})
	}
}

func TestReadLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		data          []byte
		want          []byte
		wantFormatErr bool
	}{
		{name: "three", data: idx(labelsMagic, []uint32{3}, []byte{7, 2, 1}), want: []byte{7, 2, 1}},
		{name: "not digits is fine here", data: idx(labelsMagic, []uint32{2}, []byte{10, 255}), want: []byte{10, 255}},
		{name: "trailing bytes ignored", data: idx(labelsMagic, []uint32{1}, []byte{4, 5, 6}), want: []byte{4}},
		{name: "several chunks", data: idx(labelsMagic, []uint32{3 * firstChunk}, seq(3*firstChunk)), want: seq(3 * firstChunk)},

		{name: "empty", data: nil, wantFormatErr: true},
		{name: "short header", data: []byte{0, 0, 8, 1, 0}, wantFormatErr: true},
		{name: "images magic", data: idx(imagesMagic, []uint32{1}, []byte{1}), wantFormatErr: true},
		{name: "zero labels", data: idx(labelsMagic, []uint32{0}, nil), wantFormatErr: true},
		{name: "count over 1<<28", data: idx(labelsMagic, []uint32{1<<28 + 1}, seq(10)), wantFormatErr: true},
		{name: "count 2^32-1", data: idx(labelsMagic, []uint32{1<<32 - 1}, nil), wantFormatErr: true},
		{name: "huge count, tiny file", data: idx(labelsMagic, []uint32{1 << 28}, seq(3)), wantFormatErr: true},
		{name: "truncated", data: idx(labelsMagic, []uint32{5}, []byte{1, 2, 3, 4}), wantFormatErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadLabels(bytes.NewReader(tt.data))
			if tt.wantFormatErr {
				if !errors.Is(err, ErrFormat) || got != nil {
					t.Errorf("ReadLabels = %d labels, err %v; want nil and an ErrFormat", len(got), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadLabels: %v", err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("ReadLabels = %d labels %.8v…; want %d %.8v…", len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

// TestReadReaders checks that short reads are fine and that an I/O error
// comes back as itself, not as a format error.
func TestReadReaders(t *testing.T) {
	t.Parallel()
	images := idx(imagesMagic, []uint32{100, 28, 28}, seq(100*28*28))
	labels := idx(labelsMagic, []uint32{100}, seq(100))
	tests := []struct {
		name    string
		wrap    func(io.Reader) io.Reader
		wantErr error // nil for success
	}{
		{"one byte at a time", iotest.OneByteReader, nil},
		{"half reads", iotest.HalfReader, nil},
		{"EOF with the data", iotest.DataErrReader, nil},
		{"timeout on the second read", iotest.TimeoutReader, iotest.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, _, _, err := ReadImages(tt.wrap(bytes.NewReader(images)))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr != nil && errors.Is(err, ErrFormat)) {
				t.Errorf("ReadImages err = %v; want %v", err, tt.wantErr)
			}
			_, err = ReadLabels(tt.wrap(bytes.NewReader(labels)))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr != nil && errors.Is(err, ErrFormat)) {
				t.Errorf("ReadLabels err = %v; want %v", err, tt.wantErr)
			}
		})
	}
}

// TestHugeClaimsAllocateLittle reads headers that claim the most the limits
// allow in front of 100 bytes, and checks the readers gave up having
// allocated little. Not parallel: it reads the process's allocation count.
func TestHugeClaimsAllocateLittle(t *testing.T) {
	// 2739146·28·28 pixels is just under 1<<31 bytes.
	images := idx(imagesMagic, []uint32{2739146, 28, 28}, seq(100))
	labels := idx(labelsMagic, []uint32{maxLabels}, seq(100))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, _, _, err := ReadImages(bytes.NewReader(images)); !errors.Is(err, ErrFormat) {
		t.Errorf("ReadImages err = %v; want an ErrFormat", err)
	}
	if _, err := ReadLabels(bytes.NewReader(labels)); !errors.Is(err, ErrFormat) {
		t.Errorf("ReadLabels err = %v; want an ErrFormat", err)
	}
	runtime.ReadMemStats(&after)
	// Each reader allocates one firstChunk buffer; allow for the test
	// framework's own allocations.
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("reading 2 claims of gigabytes allocated %d bytes; want under 1 MiB", got)
	}
}

func TestSet(t *testing.T) {
	t.Parallel()
	// Four 1x2 images whose pixels are 10·i and 10·i+1, labelled i.
	s := &Set{Rows: 1, Cols: 2, Images: []byte{0, 1, 10, 11, 20, 21, 30, 31}, Labels: []byte{0, 1, 2, 3}}
	if s.Len() != 4 {
		t.Errorf("Len() = %d; want 4", s.Len())
	}
	if got := s.Image(2); !bytes.Equal(got, []byte{20, 21}) || cap(got) != 2 {
		t.Errorf("Image(2) = %v with cap %d; want [20 21] with cap 2", got, cap(got))
	}

	sub := s.Slice(1, 3)
	if sub.Len() != 2 || sub.Rows != 1 || sub.Cols != 2 || !bytes.Equal(sub.Image(0), []byte{10, 11}) || !bytes.Equal(sub.Labels, []byte{1, 2}) {
		t.Errorf("Slice(1, 3) = %+v; want images 1 and 2", sub)
	}
	sub.Image(1)[0] = 99
	if s.Images[4] != 99 {
		t.Error("Slice(1, 3) does not share storage")
	}
	if empty := s.Slice(4, 4); empty.Len() != 0 || len(empty.Images) != 0 {
		t.Errorf("Slice(4, 4) = %+v; want an empty set", empty)
	}

	head, tail := s.Split(3)
	if head.Len() != 3 || tail.Len() != 1 || tail.Labels[0] != 3 || !bytes.Equal(tail.Image(0), []byte{30, 31}) {
		t.Errorf("Split(3) = %+v, %+v; want images 0-2 and 3", head, tail)
	}
	// Appending to a head must not overwrite the tail.
	head.Labels = append(head.Labels, 9)
	if s.Labels[3] != 3 {
		t.Error("append to Split's head overwrote its tail")
	}
}

func TestSetPanics(t *testing.T) {
	t.Parallel()
	s := &Set{Rows: 1, Cols: 1, Images: []byte{1, 2, 3}, Labels: []byte{1, 2, 3}}
	tests := []struct {
		name string
		f    func()
	}{
		{"Image(-1)", func() { s.Image(-1) }},
		{"Image(3)", func() { s.Image(3) }},
		{"Slice(-1, 2)", func() { s.Slice(-1, 2) }},
		{"Slice(2, 1)", func() { s.Slice(2, 1) }},
		{"Slice(0, 4)", func() { s.Slice(0, 4) }},
		{"Split(-1)", func() { s.Split(-1) }},
		{"Split(4)", func() { s.Split(4) }},
	}
	for _, tt := range tests {
		if !panics(tt.f) {
			t.Errorf("%s did not panic", tt.name)
		}
	}
}

func panics(f func()) (panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	f()
	return false
}

// FuzzReadImages checks that ReadImages never panics and that what it
// accepts agrees with its header and limits. Seeds are in
// testdata/fuzz/FuzzReadImages as well.
func FuzzReadImages(f *testing.F) {
	f.Add(idx(imagesMagic, []uint32{1, 2, 2}, []byte{1, 2, 3, 4}))
	f.Add(idx(imagesMagic, []uint32{2, 1, 3}, seq(7)))
	f.Add(idx(imagesMagic, []uint32{1 << 30, 28, 28}, nil))
	f.Add(idx(labelsMagic, []uint32{1}, []byte{1}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		images, n, rows, cols, err := ReadImages(bytes.NewReader(data))
		if err != nil {
			if images != nil || n != 0 || rows != 0 || cols != 0 {
				t.Fatalf("ReadImages returned data with error %v", err)
			}
			return
		}
		if n < 1 || rows < 1 || cols < 1 || rows > maxSide || cols > maxSide {
			t.Fatalf("ReadImages accepted %d images of %dx%d", n, rows, cols)
		}
		if len(images) != n*rows*cols || !bytes.Equal(images, data[16:16+len(images)]) {
			t.Fatalf("ReadImages returned %d bytes for %d images of %dx%d, or not the file's", len(images), n, rows, cols)
		}
	})
}

// FuzzReadLabels checks that ReadLabels never panics and returns what the
// header claims. Seeds are in testdata/fuzz/FuzzReadLabels as well.
func FuzzReadLabels(f *testing.F) {
	f.Add(idx(labelsMagic, []uint32{3}, []byte{1, 2, 3}))
	f.Add(idx(labelsMagic, []uint32{2}, []byte{1}))
	f.Add(idx(labelsMagic, []uint32{1 << 27}, nil))
	f.Add(idx(imagesMagic, []uint32{1, 1, 1}, []byte{1}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		labels, err := ReadLabels(bytes.NewReader(data))
		if err != nil {
			if labels != nil {
				t.Fatalf("ReadLabels returned labels with error %v", err)
			}
			return
		}
		if n := binary.BigEndian.Uint32(data[4:]); len(labels) != int(n) || n == 0 || n > maxLabels {
			t.Fatalf("ReadLabels returned %d labels; the header claims %d", len(labels), n)
		}
		if !bytes.Equal(labels, data[8:8+len(labels)]) {
			t.Fatal("ReadLabels returned labels that are not the file's")
		}
	})
}
