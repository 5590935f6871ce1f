package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// sample is a small file with every kind of tensor Write allows.
func sample() *File {
	return &File{
		Metadata: map[string]string{"format": "tegaki", "note": "quote \" and ü"},
		Tensors: []Tensor{
			{Name: "w", Shape: []int{2, 3}, Data: []float32{1, -2, 3.5, 0, 1e-30, -7}},
			{Name: "b", Shape: []int{3}, Data: []float32{0.25, 0.5, 0.75}},
			{Name: "scalar", Shape: []int{}, Data: []float32{42}},
			{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
		},
	}
}

// bigFile is a file of one tensor of n values.
func bigFile(n int) *File {
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(i%1000) / 7
	}
	return &File{Tensors: []Tensor{{Name: "big", Shape: []int{n}, Data: data}}}
}

func encode(tb testing.TB, f *File) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// rawFile builds a file from a header, unpadded, and the data bytes.
func rawFile(header string, data ...byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

// f32s returns vs as little-endian bytes.
func f32s(vs ...float32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// stream hides the concrete type of its reader, so Read cannot know how
// many bytes it holds.
type stream struct{ r io.Reader }

func (s stream) Read(b []byte) (int, error) { return s.r.Read(b) }

// checkSame fails unless got and want hold the same metadata and tensors,
// with values equal bit for bit. It counts nil and empty as the same.
func checkSame(t testing.TB, got, want *File) {
	t.Helper()
	if !maps.Equal(got.Metadata, want.Metadata) {
		t.Errorf("Metadata = %q, want %q", got.Metadata, want.Metadata)
	}
	if len(got.Tensors) != len(want.Tensors) {
		t.Fatalf("got %d tensors, want %d", len(got.Tensors), len(want.Tensors))
	}
	for i := range got.Tensors {
		g, w := got.Tensors[i], want.Tensors[i]
		if cmp.Or(g.DType, F32) != cmp.Or(w.DType, F32) {
			t.Errorf("tensor %d has dtype %q, want %q", i, g.DType, w.DType)
		}
		if g.Name != w.Name || !slices.Equal(g.Shape, w.Shape) || len(g.Data) != len(w.Data) {
			t.Fatalf("tensor %d = %q %v (%d values), want %q %v (%d values)", i, g.Name, g.Shape, len(g.Data), w.Name, w.Shape, len(w.Data))
		}
		for j := range g.Data {
			if math.Float32bits(g.Data[j]) != math.Float32bits(w.Data[j]) {
				t.Fatalf("tensor %q value %d = %v, want %v", g.Name, j, g.Data[j], w.Data[j])
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    *File
	}{
		{"sample", sample()},
		{"empty", &File{}},
		{"metadata only", &File{Metadata: map[string]string{"k": "v", "": ""}}},
		{"scalar", &File{Tensors: []Tensor{{Name: "s", Shape: []int{}, Data: []float32{-3}}}}},
		{"zero dims", &File{Tensors: []Tensor{
			{Name: "a", Shape: []int{0}, Data: []float32{}},
			{Name: "b", Shape: []int{4, 0}, Data: []float32{}},
			{Name: "c", Shape: []int{2}, Data: []float32{1, 2}},
			{Name: "d", Shape: []int{3, 0, 2}, Data: []float32{}},
		}}},
		{"eight dims", &File{Tensors: []Tensor{{Name: "x", Shape: []int{1, 2, 1, 2, 1, 2, 1, 2}, Data: make([]float32, 16)}}}},
		{"special values", &File{Tensors: []Tensor{{Name: "v", Shape: []int{6}, Data: []float32{
			float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, -math.MaxFloat32, math.MaxFloat32, 1e-40, 3,
		}}}}},
		{"odd names", &File{
			Metadata: map[string]string{"a\nb": "c\"d", "ü": "\x00"},
			Tensors: []Tensor{
				{Name: "conv1.W", Shape: []int{1}, Data: []float32{1}},
				{Name: " ", Shape: []int{1}, Data: []float32{2}},
				{Name: "é\u2028😀<&>", Shape: []int{1}, Data: []float32{3}},
			},
		}},
		{"big", bigFile(100_000)},
		// I8 tensors of odd sizes leave the next F32 tensor unaligned.
		{"int8", &File{Tensors: []Tensor{
			{Name: "q", DType: I8, Shape: []int{5}, Data: []float32{-128, -1, 0, 1, 127}},
			{Name: "scale", DType: F32, Shape: []int{1}, Data: []float32{0.25}},
			{Name: "r", DType: I8, Shape: []int{1, 3}, Data: []float32{3, -7, 100}},
			{Name: "after", Shape: []int{2}, Data: []float32{1.5, -2}},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := encode(t, tt.f)
			for _, r := range []io.Reader{bytes.NewReader(b), stream{bytes.NewReader(b)}} {
				got, err := Read(r, int64(len(b)))
				if err != nil {
					t.Fatalf("Read(%T): %v", r, err)
				}
				checkSame(t, got, tt.f)
				if again := encode(t, got); !bytes.Equal(again, b) {
					t.Errorf("Write(Read(Write(f))) differs from Write(f)")
				}
			}
		})
	}
}

func TestReadEmptyMetadata(t *testing.T) {
	t.Parallel()
	for _, f := range []*File{{Metadata: map[string]string{}}, {}} {
		got, err := Read(bytes.NewReader(encode(t, f)), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if got.Metadata != nil {
			t.Errorf("Read(Write(%#v)).Metadata = %#v, want nil", f.Metadata, got.Metadata)
		}
	}
	got, err := Read(bytes.NewReader(rawFile(`{"__metadata__":{}}`)), 1<<20)
	if err != nil || got.Metadata != nil {
		t.Errorf("Read of an empty __metadata__ = %#v, %v; want nil Metadata", got, err)
	}
}

// TestReadTolerant reads headers as other writers may produce them.
func TestReadTolerant(t *testing.T) {
	t.Parallel()
	w := Tensor{Name: "w", Shape: []int{2}, Data: []float32{1, 2}}
	b := Tensor{Name: "b", Shape: []int{1}, Data: []float32{3}}
	tests := []struct {
		name   string
		header string
		data   []byte
		want   *File
	}{
		{
			// Python's json.dumps: ", " and ": " separators, no padding.
			name:   "python json.dumps",
			header: `{"__metadata__": {"format": "pt"}, "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}`,
			data:   f32s(1, 2),
			want:   &File{Metadata: map[string]string{"format": "pt"}, Tensors: []Tensor{w}},
		},
		{
			name: "any order, white space, long padding",
			header: "\n {\"b\" : {\"data_offsets\":[8,12],\"shape\":[1],\"dtype\":\"F32\"},\n\t\"w\":{\"shape\":[2],\"dtype\":\"F32\",\"data_offsets\":[0,8]},\r\n" +
				`"__metadata__":{"x":"1"}}` + strings.Repeat(" ", 29) + "\n\t",
			data: f32s(1, 2, 3),
			want: &File{Metadata: map[string]string{"x": "1"}, Tensors: []Tensor{w, b}},
		},
		{
			name:   "escaped name",
			header: `{"\u00e9\ud83d\ude00":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`,
			data:   f32s(5),
			want:   &File{Tensors: []Tensor{{Name: "é😀", Shape: []int{}, Data: []float32{5}}}},
		},
		{
			// Empty tensors at one offset keep the header's order.
			name:   "empty tensors",
			header: `{"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[2,0],"data_offsets":[4,4]},"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`,
			data:   f32s(7),
			want: &File{Tensors: []Tensor{
				{Name: "e", Shape: []int{0}, Data: []float32{}},
				{Name: "w", Shape: []int{1}, Data: []float32{7}},
				{Name: "z", Shape: []int{0}, Data: []float32{}},
				{Name: "a", Shape: []int{2, 0}, Data: []float32{}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := rawFile(tt.header, tt.data...)
			for _, r := range []io.Reader{bytes.NewReader(file), stream{bytes.NewReader(file)}} {
				got, err := Read(r, 1<<20)
				if err != nil {
					t.Fatalf("Read(%T): %v", r, err)
				}
				checkSame(t, got, tt.want)
			}
		})
	}
}

// four is one float32, 1.0.
var four = f32s(1)

// tensorA is a valid header entry for four.
const tensorA = `"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`

// malformed lists invalid files: every way this package knows a header
// or file can be wrong. The fuzz test uses them as seeds.
var malformed = []struct {
	name    string
	data    []byte
	maxSize int64 // 0 means 1 MiB
	want    error // the error from a reader of known size
	stream  error // the error from a stream, if not want
}{
	// The length prefix.
	{name: "empty", data: nil, want: ErrFormat},
	{name: "short length", data: []byte{1, 2, 3}, want: ErrFormat},
	{name: "header over 1 MiB", data: binary.LittleEndian.AppendUint64(nil, maxHeader+1), want: ErrFormat},
	{name: "header length 2^64-1", data: binary.LittleEndian.AppendUint64(nil, math.MaxUint64), want: ErrFormat},
	{name: "header length 2^63", data: binary.LittleEndian.AppendUint64(nil, 1<<63), want: ErrFormat},
	{name: "header beyond file", data: append(binary.LittleEndian.AppendUint64(nil, 100), "{}"...), want: ErrFormat},
	{name: "empty header", data: rawFile(""), want: ErrFormat},

	// The JSON.
	{name: "not JSON", data: rawFile("hello"), want: ErrFormat},
	{name: "not UTF-8", data: rawFile("{\"\xff\":{}}"), want: ErrFormat},
	{name: "array", data: rawFile("[]"), want: ErrFormat},
	{name: "string", data: rawFile(`"{}"`), want: ErrFormat},
	{name: "number", data: rawFile("8"), want: ErrFormat},
	{name: "null", data: rawFile("null"), want: ErrFormat},
	{name: "unclosed", data: rawFile(`{`+tensorA, four...), want: ErrFormat},
	{name: "trailing comma", data: rawFile(`{`+tensorA+`,}`, four...), want: ErrFormat},
	{name: "junk after object", data: rawFile(`{`+tensorA+`} x`, four...), want: ErrFormat},
	{name: "two objects", data: rawFile(`{}{}`), want: ErrFormat},
	{name: "NUL padding", data: rawFile("{}\x00\x00\x00\x00\x00\x00"), want: ErrFormat},
	{name: "duplicate tensor", data: rawFile(`{`+tensorA+`,`+tensorA+`}`, four...), want: ErrFormat},
	{name: "empty name", data: rawFile(`{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},

	// __metadata__.
	{name: "metadata null", data: rawFile(`{"__metadata__":null}`), want: ErrFormat},
	{name: "metadata array", data: rawFile(`{"__metadata__":["a"]}`), want: ErrFormat},
	{name: "metadata number value", data: rawFile(`{"__metadata__":{"a":1}}`), want: ErrFormat},
	{name: "metadata object value", data: rawFile(`{"__metadata__":{"a":{}}}`), want: ErrFormat},
	{name: "metadata null value", data: rawFile(`{"__metadata__":{"a":null}}`), want: ErrFormat},
	{name: "metadata duplicate key", data: rawFile(`{"__metadata__":{"a":"1","a":"2"}}`), want: ErrFormat},
	{name: "metadata twice", data: rawFile(`{"__metadata__":{},"__metadata__":{}}`), want: ErrFormat},

	// A tensor's fields.
	{name: "tensor not object", data: rawFile(`{"a":1}`), want: ErrFormat},
	{name: "tensor array", data: rawFile(`{"a":["F32",[1],[0,4]]}`, four...), want: ErrFormat},
	{name: "missing dtype", data: rawFile(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "missing shape", data: rawFile(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "missing offsets", data: rawFile(`{"a":{"dtype":"F32","shape":[1]}}`, four...), want: ErrFormat},
	{name: "unknown field", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, four...), want: ErrFormat},
	{name: "field in other case", data: rawFile(`{"a":{"DTYPE":"F32","shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "duplicate field", data: rawFile(`{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "dtype F16", data: rawFile(`{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "dtype f32", data: rawFile(`{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "dtype number", data: rawFile(`{"a":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "dtype null", data: rawFile(`{"a":{"dtype":null,"shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "shape string", data: rawFile(`{"a":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "shape null", data: rawFile(`{"a":{"dtype":"F32","shape":null,"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "shape of strings", data: rawFile(`{"a":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "shape nested", data: rawFile(`{"a":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "shape fraction", data: rawFile(`{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "shape exponent", data: rawFile(`{"a":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "negative dim", data: rawFile(`{"a":{"dtype":"F32","shape":[-1,-1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "nine dims", data: rawFile(`{"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "dim over int64", data: rawFile(`{"a":{"dtype":"F32","shape":[9223372036854775808],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "overflowing shape", data: rawFile(`{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "overflow before a 0", data: rawFile(`{"a":{"dtype":"F32","shape":[4294967296,4294967296,0],"data_offsets":[0,0]}}`), want: ErrFormat},
	{name: "wraps to one value", data: rawFile(`{"a":{"dtype":"F32","shape":[4294967297,4294967295],"data_offsets":[0,4]}}`, four...), want: ErrFormat},

	// data_offsets.
	{name: "offsets string", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":"0,4"}}`, four...), want: ErrFormat},
	{name: "one offset", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`, four...), want: ErrFormat},
	{name: "three offsets", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, four...), want: ErrFormat},
	{name: "negative offset", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, four...), want: ErrFormat},
	{name: "fractional offset", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}`, four...), want: ErrFormat},
	{name: "reversed offsets", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, four...), want: ErrFormat},
	{name: "shape/offsets mismatch", data: rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "I8 shape/offsets mismatch", data: rawFile(`{"a":{"dtype":"I8","shape":[2],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "I8 truncated", data: rawFile(`{"a":{"dtype":"I8","shape":[5],"data_offsets":[0,5]}}`, four...), want: ErrFormat},
	{name: "empty dtype", data: rawFile(`{"a":{"dtype":"","shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},
	{name: "partial value", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,3]}}`, 0, 0, 0), want: ErrFormat},
	{name: "gap at start", data: rawFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32s(1, 1)...), want: ErrFormat},
	{
		name: "gap between",
		data: rawFile(`{`+tensorA+`,"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, f32s(1, 1, 1)...),
		want: ErrFormat,
	},
	{
		name: "overlap",
		data: rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, f32s(1, 1)...),
		want: ErrFormat,
	},
	{name: "same offsets", data: rawFile(`{`+tensorA+`,"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, four...), want: ErrFormat},

	// The data section.
	{name: "truncated data", data: rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, four...), want: ErrFormat},
	{name: "no data", data: rawFile(`{` + tensorA + `}`), want: ErrFormat},
	{name: "trailing byte", data: rawFile(`{`+tensorA+`}`, append(f32s(1), 9)...), want: ErrFormat},
	{name: "data without tensors", data: rawFile(`{}`, four...), want: ErrFormat},
	{name: "NaN", data: rawFile(`{`+tensorA+`}`, f32s(float32(math.NaN()))...), want: ErrFormat},
	{name: "+Inf", data: rawFile(`{`+tensorA+`}`, f32s(float32(math.Inf(1)))...), want: ErrFormat},
	{name: "-Inf", data: rawFile(`{`+tensorA+`}`, f32s(float32(math.Inf(-1)))...), want: ErrFormat},
	{
		name: "NaN in a later tensor",
		data: rawFile(`{`+tensorA+`,"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, f32s(1, 2, float32(math.NaN()))...),
		want: ErrFormat,
	},
	{
		// A reader that knows the size sees the file is short; a stream
		// sees only that the file would be over the limit.
		name:   "huge claimed data",
		data:   rawFile(`{"a":{"dtype":"F32","shape":[500000000],"data_offsets":[0,2000000000]}}`, four...),
		want:   ErrFormat,
		stream: ErrTooLarge,
	},

	// The caller's limit.
	{name: "file over limit", data: rawFile(`{`+tensorA+`}`, four...), maxSize: 16, want: ErrTooLarge},
	{name: "header over limit", data: rawFile(`{`+tensorA+`}`, four...), maxSize: 40, want: ErrTooLarge},
	{name: "limit under 8", data: rawFile(`{}`), maxSize: 7, want: ErrTooLarge},
	{name: "negative limit", data: rawFile(`{}`), maxSize: math.MinInt64, want: ErrTooLarge},
	{
		name:    "data over limit",
		data:    rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`+strings.Repeat(" ", 10), f32s(1, 2)...),
		maxSize: 8 + 64 + 7,
		want:    ErrTooLarge,
	},
}

func TestReadRejects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i, tt := range malformed {
		t.Run(tt.name, func(t *testing.T) {
			maxSize := cmp.Or(tt.maxSize, 1<<20)
			streamWant := tt.stream
			if streamWant == nil {
				streamWant = tt.want
			}
			f, err := Read(bytes.NewReader(tt.data), maxSize)
			if !errors.Is(err, tt.want) {
				t.Errorf("Read(bytes.Reader) = %+v, %v; want an error wrapping %v", f, err, tt.want)
			}
			f, err = Read(stream{bytes.NewReader(tt.data)}, maxSize)
			if !errors.Is(err, streamWant) {
				t.Errorf("Read(stream) = %+v, %v; want an error wrapping %v", f, err, streamWant)
			}
			path := filepath.Join(dir, fmt.Sprint(i))
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err = ReadFile(path, maxSize)
			if !errors.Is(err, tt.want) {
				t.Errorf("ReadFile = %+v, %v; want an error wrapping %v", f, err, tt.want)
			}
		})
	}
}

// TestReadNonFinite checks that the error names the tensor and the index
// of the bad value within it.
func TestReadNonFinite(t *testing.T) {
	t.Parallel()
	header := `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"b":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}}`
	file := rawFile(header, f32s(1, 2, 3, float32(math.Inf(-1)))...)
	_, err := Read(bytes.NewReader(file), 1<<20)
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `tensor "b" has non-finite value at 2`) {
		t.Errorf("Read = %v; want ErrFormat naming tensor \"b\" and index 2", err)
	}
}

// errReader returns the first n bytes of b, then err.
type errReader struct {
	b   []byte
	err error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, r.err
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// TestReadIOError checks that I/O errors are passed on, not reported as
// format errors.
func TestReadIOError(t *testing.T) {
	t.Parallel()
	errDisk := errors.New("disk on fire")
	file := encode(t, sample())
	for _, n := range []int{0, 4, 8, 20, len(file) - 4, len(file)} {
		_, err := Read(&errReader{file[:n], errDisk}, 1<<20)
		if !errors.Is(err, errDisk) || errors.Is(err, ErrFormat) {
			t.Errorf("Read failing after %d bytes = %v; want %v, not ErrFormat", n, err, errDisk)
		}
	}
}

func TestReadMaxSize(t *testing.T) {
	t.Parallel()
	data := encode(t, sample())
	path := filepath.Join(t.TempDir(), "f.safetensors")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	read := map[string]func(maxSize int64) error{
		"bytes.Reader": func(maxSize int64) error { _, err := Read(bytes.NewReader(data), maxSize); return err },
		"stream":       func(maxSize int64) error { _, err := Read(stream{bytes.NewReader(data)}, maxSize); return err },
		"os.File": func(maxSize int64) error {
			fh, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			_, err = Read(fh, maxSize)
			return err
		},
		"ReadFile": func(maxSize int64) error { _, err := ReadFile(path, maxSize); return err },
	}
	for name, read := range read {
		if err := read(int64(len(data))); err != nil {
			t.Errorf("%s at exactly maxSize: %v", name, err)
		}
		if err := read(int64(len(data) - 1)); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s one byte over maxSize: %v, want ErrTooLarge", name, err)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "missing"), 1<<20); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, err := ReadFile(dir, 1<<20); err == nil {
		t.Error("ReadFile(a directory) succeeded")
	}
	path := filepath.Join(dir, "bad.safetensors")
	if err := os.WriteFile(path, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, 1<<20); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadFile(bad) = %v, want ErrFormat and the path", err)
	}
}

// TestReadBoundedAllocation reads short streams whose headers claim large
// sizes, with a generous limit, and checks that Read allocates in
// proportion to the bytes present, not the bytes claimed.
func TestReadBoundedAllocation(t *testing.T) {
	// Not parallel: it measures the whole heap's allocation.
	tests := []struct {
		name string
		data []byte
	}{
		{"1 MiB header claimed", binary.LittleEndian.AppendUint64(nil, maxHeader)},
		{"1 GiB of data claimed", rawFile(`{"a":{"dtype":"F32","shape":[268435456],"data_offsets":[0,1073741824]}}`, four...)},
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Read(stream{bytes.NewReader(tt.data)}, 1<<40)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: Read = %v, want ErrFormat", tt.name, err)
		}
		// 512 KiB allows for the decoding buffers (two of 64 KiB) and
		// whatever the runtime allocates meanwhile.
		if n := after.TotalAlloc - before.TotalAlloc; n > 512<<10 {
			t.Errorf("%s: Read allocated %d bytes for a %d-byte stream", tt.name, n, len(tt.data))
		}
	}
}

// TestReadAllocs checks that Read allocates nothing per value: a file of
// 100,000 values costs as many allocations as one of 1,000.
func TestReadAllocs(t *testing.T) {
	small := encode(t, bigFile(1_000))
	large := encode(t, bigFile(100_000))
	allocs := func(b []byte) float64 {
		return testing.AllocsPerRun(10, func() {
			if _, err := Read(bytes.NewReader(b), 1<<20); err != nil {
				t.Fatal(err)
			}
		})
	}
	// One allocation per value would add 99,000. Allow a few, as the race
	// detector makes sync.Pool (used by encoding/json) drop items at random.
	if s, l := allocs(small), allocs(large); l > s+10 {
		t.Errorf("Read allocates %v times for 1,000 values and %v times for 100,000; want about the same", s, l)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	f := sample()
	for i, want := range f.Tensors {
		if got, ok := f.Lookup(want.Name); !ok || got != &f.Tensors[i] {
			t.Errorf("Lookup(%q) = %p, %v; want %p, true", want.Name, got, ok, &f.Tensors[i])
		}
	}
	if got, ok := f.Lookup("missing"); ok || got != nil {
		t.Errorf("Lookup(missing) = %v, %v; want nil, false", got, ok)
	}
}

// benchRead reads a file of one tensor of n values from a reader made by
// newReader.
func benchRead(b *testing.B, n int, newReader func([]byte) io.Reader) {
	data := encode(b, bigFile(n))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(newReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead400KB(b *testing.B) {
	benchRead(b, 100_000, func(d []byte) io.Reader { return bytes.NewReader(d) })
}

func BenchmarkRead400KBStream(b *testing.B) {
	benchRead(b, 100_000, func(d []byte) io.Reader { return stream{bytes.NewReader(d)} })
}
