package safetensors

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestWriteGolden pins the exact bytes of small files, to prove the layout
// really is safetensors. The first case is worked out by hand: the header
// below is 54 bytes, so 2 spaces pad it to 56 (0x38) and the data starts at
// byte 8+56 = 64, a multiple of 8. The "reference" cases are the expected
// outputs of the reference implementation's own tests (test_empty,
// test_serialization and test_serialization_forced_alignement in
// huggingface/safetensors, safetensors/src/tensor.rs), written as strings.
func TestWriteGolden(t *testing.T) {
	t.Parallel()
	iota6 := []float32{0, 1, 2, 3, 4, 5}
	iota6Bytes := "\x00\x00\x00\x00" + "\x00\x00\x80\x3f" + "\x00\x00\x00\x40" +
		"\x00\x00\x40\x40" + "\x00\x00\x80\x40" + "\x00\x00\xa0\x40"
	tests := []struct {
		name string
		f    *File
		want string
	}{
		{
			name: "one tensor",
			f:    &File{Tensors: []Tensor{{Name: "w", Shape: []int{2}, Data: []float32{1, -2}}}},
			want: "\x38\x00\x00\x00\x00\x00\x00\x00" +
				`{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}` + "  " +
				"\x00\x00\x80\x3f" + // 1.0
				"\x00\x00\x00\xc0", // -2.0
		},
		{
			name: "reference empty",
			f:    &File{},
			want: "\x08\x00\x00\x00\x00\x00\x00\x00" + "{}      ",
		},
		{
			name: "reference metadata only",
			f:    &File{Metadata: map[string]string{"framework": "pt"}},
			want: "\x28\x00\x00\x00\x00\x00\x00\x00" + `{"__metadata__":{"framework":"pt"}}` + "     ",
		},
		{
			name: "reference no padding",
			f:    &File{Tensors: []Tensor{{Name: "attn.0", Shape: []int{1, 2, 3}, Data: iota6}}},
			want: "\x40\x00\x00\x00\x00\x00\x00\x00" +
				`{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}` + iota6Bytes,
		},
		{
			name: "reference forced alignment",
			f:    &File{Tensors: []Tensor{{Name: "attn0", Shape: []int{1, 1, 2, 3}, Data: iota6}}},
			want: "\x48\x00\x00\x00\x00\x00\x00\x00" +
				`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}` + "       " + iota6Bytes,
		},
		{
			// Metadata first with sorted keys, then the tensors in the
			// order given (not sorted by name), a scalar and an empty one.
			name: "metadata and several tensors",
			f: &File{
				Metadata: map[string]string{"z": "last", "a": "first"},
				Tensors: []Tensor{
					{Name: "s", Shape: []int{}, Data: []float32{0.5}},
					{Name: "e", Shape: []int{0, 3}, Data: []float32{}},
					{Name: "b", Shape: []int{1}, Data: []float32{-1}},
				},
			},
			want: "\xd0\x00\x00\x00\x00\x00\x00\x00" +
				`{"__metadata__":{"a":"first","z":"last"},` +
				`"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},` +
				`"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},` +
				`"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}` + "       " +
				"\x00\x00\x00\x3f" + "\x00\x00\x80\xbf",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.f); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("Write =\n%q\nwant\n%q", got, tt.want)
			}
			if _, err := Read(&buf, 1<<20); err != nil {
				t.Errorf("Read of the golden file: %v", err)
			}
		})
	}
}

// TestWriteEscapes checks that strings are escaped as serde_json escapes
// them (only '"', '\\' and control characters), and that the result is
// JSON that encoding/json reads back to the same strings.
func TestWriteEscapes(t *testing.T) {
	t.Parallel()
	name := "q\"\\/\n\r\t\b\f\x01\x1f\x7f<>&é\u2028😀"
	want := `"q\"\\/\n\r\t\b\f\u0001\u001f` + "\x7f<>&é\u2028😀" + `"`
	if got := string(appendString(nil, name)); got != want {
		t.Errorf("appendString(%q) = %s, want %s", name, got, want)
	}
	f := &File{
		Metadata: map[string]string{name: name},
		Tensors:  []Tensor{{Name: name, Shape: []int{1}, Data: []float32{1}}},
	}
	b := encode(t, f)
	var header map[string]any
	if err := json.Unmarshal(bytes.TrimRight(b[8:len(b)-4], " "), &header); err != nil {
		t.Fatalf("header is not JSON: %v", err)
	}
	if _, ok := header[name]; !ok {
		t.Errorf("encoding/json reads the header's keys as %v, want %q among them", slices.Collect(maps.Keys(header)), name)
	}
	got, err := Read(bytes.NewReader(b), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, got, f)
}

// TestWriteDeterministic checks that map order does not leak into the
// bytes.
func TestWriteDeterministic(t *testing.T) {
	t.Parallel()
	meta := map[string]string{}
	for i := range 50 {
		meta[strings.Repeat("k", i+1)] = strings.Repeat("v", 50-i)
	}
	f := &File{Metadata: meta, Tensors: []Tensor{{Name: "x", Shape: []int{1}, Data: []float32{1}}}}
	first := encode(t, f)
	for range 10 {
		if b := encode(t, f); !bytes.Equal(b, first) {
			t.Fatalf("Write gave different bytes for the same File:\n%q\n%q", b, first)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	t.Parallel()
	one := func(name string) Tensor { return Tensor{Name: name, Shape: []int{1}, Data: []float32{1}} }
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	tests := []struct {
		name string
		f    *File
	}{
		{"nil file", nil},
		{"empty name", &File{Tensors: []Tensor{one("")}}},
		{"reserved name", &File{Tensors: []Tensor{one("__metadata__")}}},
		{"duplicate name", &File{Tensors: []Tensor{one("a"), one("b"), one("a")}}},
		{"name not UTF-8", &File{Tensors: []Tensor{one("a\xff")}}},
		{"metadata key not UTF-8", &File{Metadata: map[string]string{"\xff": "v"}}},
		{"metadata value not UTF-8", &File{Metadata: map[string]string{"k": "\xc3"}}},
		{"too few values", &File{Tensors: []Tensor{{Name: "a", Shape: []int{2}, Data: []float32{1}}}}},
		{"too many values", &File{Tensors: []Tensor{{Name: "a", Shape: []int{}, Data: []float32{1, 2}}}}},
		{"negative dims", &File{Tensors: []Tensor{{Name: "a", Shape: []int{-1, -1}, Data: []float32{1}}}}},
		{"nine dims", &File{Tensors: []Tensor{{Name: "a", Shape: []int{1, 1, 1, 1, 1, 1, 1, 1, 1}, Data: []float32{1}}}}},
		// The product wraps around to 0 without the overflow check.
		{"overflowing shape", &File{Tensors: []Tensor{{Name: "a", Shape: []int{math.MaxInt/2 + 1, 4, 0}}}}},
		{"NaN", &File{Tensors: []Tensor{{Name: "a", Shape: []int{3}, Data: []float32{1, nan, 2}}}}},
		{"+Inf", &File{Tensors: []Tensor{{Name: "a", Shape: []int{1}, Data: []float32{inf}}}}},
		{"-Inf", &File{Tensors: []Tensor{{Name: "a", Shape: []int{1}, Data: []float32{-inf}}}}},
		{"unknown dtype", &File{Tensors: []Tensor{{Name: "a", DType: "F16", Shape: []int{1}, Data: []float32{1}}}}},
		{"I8 fraction", &File{Tensors: []Tensor{{Name: "a", DType: I8, Shape: []int{2}, Data: []float32{1, 1.5}}}}},
		{"I8 over 127", &File{Tensors: []Tensor{{Name: "a", DType: I8, Shape: []int{1}, Data: []float32{128}}}}},
		{"I8 under -128", &File{Tensors: []Tensor{{Name: "a", DType: I8, Shape: []int{1}, Data: []float32{-129}}}}},
		{"I8 NaN", &File{Tensors: []Tensor{{Name: "a", DType: I8, Shape: []int{1}, Data: []float32{nan}}}}},
		{"header over 1 MiB", &File{Metadata: map[string]string{"k": strings.Repeat("x", maxHeader)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.f); err == nil {
				t.Errorf("Write(%+v) succeeded", tt.f)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errBroken = errors.New("broken pipe")

func (w *failWriter) Write(b []byte) (int, error) {
	if len(b) > w.n {
		k := w.n
		w.n = 0
		return k, errBroken
	}
	w.n -= len(b)
	return len(b), nil
}

func TestWriteWriterError(t *testing.T) {
	t.Parallel()
	f := bigFile(100_000)
	size := len(encode(t, f))
	for _, n := range []int{0, 10, chunk, size - 1} {
		if err := Write(&failWriter{n}, f); !errors.Is(err, errBroken) {
			t.Errorf("Write to a writer failing after %d bytes = %v, want %v", n, err, errBroken)
		}
	}
}

func BenchmarkWrite400KB(b *testing.B) {
	f := bigFile(100_000)
	var buf bytes.Buffer
	b.SetBytes(int64(len(encode(b, f))))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, f); err != nil {
			b.Fatal(err)
		}
	}
}
