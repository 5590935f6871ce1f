package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

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

func encode(t testing.TB, f *File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	want := sample()
	got, err := Read(bytes.NewReader(encode(t, want)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read(Write(f)) = %+v, want %+v", got, want)
	}
	if tn, ok := got.Lookup("b"); !ok || tn.Data[2] != 0.75 {
		t.Errorf("Lookup(b) = %v, %v", tn, ok)
	}
	if _, ok := got.Lookup("missing"); ok {
		t.Error("Lookup(missing) found a tensor")
	}
}

// TestGolden pins the exact bytes of a tiny file, proving the layout is
// safetensors: header length, JSON header padded with spaces to 8-byte
// alignment, little-endian float32 data.
func TestGolden(t *testing.T) {
	got := encode(t, &File{Tensors: []Tensor{{Name: "w", Shape: []int{2}, Data: []float32{1, -2}}}})
	header := `{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	for (8+len(header))%8 != 0 {
		header += " "
	}
	want := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	want = append(want, header...)
	want = append(want, 0x00, 0x00, 0x80, 0x3f) // 1.0
	want = append(want, 0x00, 0x00, 0x00, 0xc0) // -2.0
	if !bytes.Equal(got, want) {
		t.Errorf("Write =\n%q\nwant\n%q", got, want)
	}
}

func TestWriteRejects(t *testing.T) {
	tests := []struct {
		name string
		f    File
	}{
		{"empty name", File{Tensors: []Tensor{{Name: "", Shape: []int{1}, Data: []float32{1}}}}},
		{"reserved name", File{Tensors: []Tensor{{Name: "__metadata__", Shape: []int{1}, Data: []float32{1}}}}},
		{"duplicate", File{Tensors: []Tensor{{Name: "a", Shape: []int{1}, Data: []float32{1}}, {Name: "a", Shape: []int{1}, Data: []float32{1}}}}},
		{"shape mismatch", File{Tensors: []Tensor{{Name: "a", Shape: []int{2}, Data: []float32{1}}}}},
		{"negative dim", File{Tensors: []Tensor{{Name: "a", Shape: []int{-1, -1}, Data: []float32{1}}}}},
	}
	for _, tt := range tests {
		if err := Write(&bytes.Buffer{}, &tt.f); err == nil {
			t.Errorf("%s: Write succeeded", tt.name)
		}
	}
}

// file builds a safetensors file from a raw header and data.
func file(header string, data ...byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestReadRejects(t *testing.T) {
	four := []byte{0, 0, 0x80, 0x3f}
	nan := []byte{0, 0, 0xc0, 0x7f}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"short length", []byte{1, 2, 3}, ErrFormat},
		{"header over limit", binary.LittleEndian.AppendUint64(nil, 1<<40), ErrFormat},
		{"header beyond file", binary.LittleEndian.AppendUint64(nil, 100), ErrFormat},
		{"not JSON", file("hello"), ErrFormat},
		{"JSON array", file("[]"), ErrFormat},
		{"missing dtype", file(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"missing offsets", file(`{"a":{"dtype":"F32","shape":[1]}}`, four...), ErrFormat},
		{"unknown field", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, four...), ErrFormat},
		{"other dtype", file(`{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"string shape", file(`{"a":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}`, four...), ErrFormat},
		{"negative dim", file(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"too many dims", file(`{"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"overflowing shape", file(`{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"shape/offset mismatch", file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"reversed offsets", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, four...), ErrFormat},
		{"three offsets", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, four...), ErrFormat},
		{"gap", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, append(four, four...)...), ErrFormat},
		{"overlap", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, four...), ErrFormat},
		{"duplicate name", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, append(four, four...)...), ErrFormat},
		{"truncated data", file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, four...), ErrFormat},
		{"huge claimed data", file(`{"a":{"dtype":"F32","shape":[500000000],"data_offsets":[0,2000000000]}}`, four...), ErrTooLarge},
		{"trailing bytes", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, append(four, 9)...), ErrFormat},
		{"junk after header", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} x`, four...), ErrFormat},
		{"metadata not strings", file(`{"__metadata__":{"a":1}}`), ErrFormat},
		{"NaN", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, nan...), ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(bytes.NewReader(tt.data), 1<<20)
			if !errors.Is(err, tt.want) {
				t.Errorf("Read = %+v, %v; want an error wrapping %v", f, err, tt.want)
			}
		})
	}
}

func TestReadMaxSize(t *testing.T) {
	data := encode(t, sample())
	if _, err := Read(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Errorf("Read at exactly maxSize: %v", err)
	}
	if _, err := Read(bytes.NewReader(data), int64(len(data)-1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Read over maxSize: %v, want ErrTooLarge", err)
	}
	path := filepath.Join(t.TempDir(), "f.safetensors")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile over maxSize: %v, want ErrTooLarge", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := &File{Tensors: []Tensor{{Name: "a", Shape: []int{2}, Data: []float32{1}}}}
	if err := WriteFile(path, bad); err == nil {
		t.Fatal("WriteFile of an invalid file succeeded")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("failed WriteFile changed the existing file to %q", b)
	}
	if err := WriteFile(path, sample()); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(path, 1<<20); err != nil || !reflect.DeepEqual(got, sample()) {
		t.Errorf("ReadFile after WriteFile = %v, %v", got, err)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "m"), sample()); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the file (no temporary files left)", names)
	}
}

// FuzzRead checks that Read never panics and that whatever it accepts
// survives a write and a second read unchanged.
func FuzzRead(f *testing.F) {
	f.Add(encode(f, sample()))
	f.Add(encode(f, &File{}))
	f.Add(file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 0, 0, 0x80, 0x3f))
	f.Add(file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, 0, 0, 0x80, 0x3f))
	f.Add(file(`{"__metadata__":{"k":"v"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), 1<<20)
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v wraps neither ErrFormat nor ErrTooLarge", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, got); err != nil {
			t.Fatalf("Write of a file Read accepted: %v", err)
		}
		again, err := Read(&buf, 1<<20)
		if err != nil {
			t.Fatalf("Read of a rewritten file: %v", err)
		}
		if len(again.Tensors) != len(got.Tensors) || len(again.Metadata) != len(got.Metadata) {
			t.Fatalf("rewrite changed the file: %+v, then %+v", got, again)
		}
		for i := range got.Tensors {
			a, b := got.Tensors[i], again.Tensors[i]
			if a.Name != b.Name || !reflect.DeepEqual(a.Shape, b.Shape) || len(a.Data) != len(b.Data) {
				t.Fatalf("tensor %d changed: %v, then %v", i, a, b)
			}
			for j := range a.Data {
				if math.Float32bits(a.Data[j]) != math.Float32bits(b.Data[j]) {
					t.Fatalf("tensor %q value %d changed", a.Name, j)
				}
			}
		}
	})
}

func ExampleWrite() {
	f := &File{
		Metadata: map[string]string{"format": "example"},
		Tensors:  []Tensor{{Name: "w", Shape: []int{2, 2}, Data: []float32{1, 2, 3, 4}}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		panic(err)
	}
	n := binary.LittleEndian.Uint64(buf.Bytes())
	println := func(s string) { os.Stdout.WriteString(s + "\n") }
	println(strings.TrimRight(string(buf.Bytes()[8:8+n]), " "))
	// Output: {"__metadata__":{"format":"example"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}
}
