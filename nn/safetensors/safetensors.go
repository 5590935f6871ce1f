// Package safetensors reads and writes float32 tensors in the safetensors
// layout (https://huggingface.co/docs/safetensors), so that numpy and
// PyTorch users can load tegaki's weights with their own tools.
//
// A file is, in order:
//
//	8 bytes   N, the header length, a little-endian uint64
//	N bytes   a JSON object: "__metadata__" (an object of strings, optional)
//	          and, per tensor, "name": {"dtype": "F32", "shape": [...],
//	          "data_offsets": [begin, end]}; padded with spaces
//	rest      the tensors' bytes, little-endian, at the offsets given
//	          (relative to the end of the header), covering the rest exactly
//
// Read checks every number in the header against the bytes actually present
// before it allocates, so a truncated or hostile file gives an error that
// wraps ErrFormat or ErrTooLarge, never a panic or an unbounded allocation.
package safetensors

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
)

// Tensor is one named, row-major float32 array.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32 // len(Data) is the product of Shape (1 for a scalar)
}

// File is the whole content of a safetensors file.
type File struct {
	Metadata map[string]string // the "__metadata__" object; may be nil
	Tensors  []Tensor          // in the order of their data
}

// Lookup returns the tensor with the given name.
func (f *File) Lookup(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

var (
	// ErrFormat is wrapped by errors for files that are not valid
	// safetensors, or use what this package does not support.
	ErrFormat = errors.New("safetensors: invalid file")
	// ErrTooLarge is wrapped by errors for files larger than the caller's
	// limit.
	ErrTooLarge = errors.New("safetensors: file too large")
)

const (
	metadataKey = "__metadata__"
	// maxHeader bounds the JSON header; a model's header is a few kB.
	maxHeader = 1 << 20
	maxDims   = 8
)

func formatError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Write writes f in the safetensors layout. The bytes depend only on f: the
// metadata keys are sorted and the tensors keep their order. It returns an
// error for an empty, reserved or duplicate name, or a tensor whose data
// does not match its shape.
func Write(w io.Writer, f *File) error {
	var h bytes.Buffer
	h.WriteByte('{')
	if len(f.Metadata) > 0 {
		keys := make([]string, 0, len(f.Metadata))
		for k := range f.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				h.WriteByte(',')
			}
			writeJSONString(&h, k)
			h.WriteByte(':')
			writeJSONString(&h, f.Metadata[k])
		}
		h.WriteByte('}')
	}
	seen := make(map[string]bool, len(f.Tensors))
	offset := 0
	for i, t := range f.Tensors {
		switch {
		case t.Name == "" || t.Name == metadataKey:
			return fmt.Errorf("safetensors: write: tensor %d has the reserved name %q", i, t.Name)
		case seen[t.Name]:
			return fmt.Errorf("safetensors: write: duplicate tensor %q", t.Name)
		case len(t.Shape) > maxDims:
			return fmt.Errorf("safetensors: write: tensor %q has %d dimensions, at most %d allowed", t.Name, len(t.Shape), maxDims)
		}
		seen[t.Name] = true
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return fmt.Errorf("safetensors: write: tensor %q has negative dimension in %v", t.Name, t.Shape)
			}
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("safetensors: write: tensor %q has %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		if h.Len() > 1 {
			h.WriteByte(',')
		}
		writeJSONString(&h, t.Name)
		h.WriteString(`:{"dtype":"F32","shape":[`)
		for j, d := range t.Shape {
			if j > 0 {
				h.WriteByte(',')
			}
			h.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&h, `],"data_offsets":[%d,%d]}`, offset, offset+4*n)
		offset += 4 * n
	}
	h.WriteByte('}')
	// Pad so that the data starts 8-byte aligned, as the reference writer does.
	for (8+h.Len())%8 != 0 {
		h.WriteByte(' ')
	}
	bw := bufio.NewWriter(w)
	var prefix [8]byte
	binary.LittleEndian.PutUint64(prefix[:], uint64(h.Len()))
	bw.Write(prefix[:])
	bw.Write(h.Bytes())
	var word [4]byte
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			binary.LittleEndian.PutUint32(word[:], math.Float32bits(v))
			bw.Write(word[:])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	return nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // marshalling a string cannot fail
	b.Write(q)
}

// Read reads a safetensors file of at most maxSize bytes in all.
func Read(r io.Reader, maxSize int64) (*File, error) {
	var prefix [8]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, formatError("reading the header length: %v", err)
	}
	n := binary.LittleEndian.Uint64(prefix[:])
	if n > maxHeader {
		return nil, formatError("header length %d exceeds the limit of %d bytes", n, maxHeader)
	}
	if int64(8+n) > maxSize {
		return nil, fmt.Errorf("%w: header alone is %d bytes, limit %d", ErrTooLarge, 8+n, maxSize)
	}
	header := make([]byte, n)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, formatError("reading the %d-byte header: %v", n, err)
	}
	f, entries, dataLen, err := parseHeader(header)
	if err != nil {
		return nil, err
	}
	if dataLen > maxSize-int64(8+n) {
		return nil, fmt.Errorf("%w: %d bytes of tensors, limit %d", ErrTooLarge, 8+int64(n)+dataLen, maxSize)
	}
	// ReadAll grows its buffer only as bytes arrive, so a header that
	// claims more data than the file has cannot force a large allocation.
	data, err := io.ReadAll(io.LimitReader(r, dataLen+1))
	if err != nil {
		return nil, fmt.Errorf("safetensors: read data: %w", err)
	}
	if int64(len(data)) < dataLen {
		return nil, formatError("file truncated: header describes %d bytes of tensors, %d present", dataLen, len(data))
	}
	if int64(len(data)) > dataLen {
		return nil, formatError("trailing bytes after the %d bytes of tensors", dataLen)
	}
	for i, e := range entries {
		t := &f.Tensors[i]
		t.Data = make([]float32, (e.end-e.begin)/4)
		for j := range t.Data {
			v := math.Float32frombits(binary.LittleEndian.Uint32(data[e.begin+int64(4*j):]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, formatError("tensor %q has a non-finite value at %d", t.Name, j)
			}
			t.Data[j] = v
		}
	}
	return f, nil
}

// entry is a tensor's place in the data section.
type entry struct {
	begin, end int64
}

// parseHeader decodes and checks the JSON header. It returns the file
// without tensor data, the data ranges in the same order, and the length
// of the data section.
func parseHeader(header []byte) (*File, []entry, int64, error) {
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, 0, formatError("header is not a JSON object")
	}
	f := &File{}
	type item struct {
		t Tensor
		e entry
	}
	var items []item
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, 0, formatError("header: %v", err)
		}
		name, _ := tok.(string)
		if seen[name] {
			return nil, nil, 0, formatError("duplicate key %q in header", name)
		}
		seen[name] = true
		if name == metadataKey {
			if err := decodeStrict(dec, &f.Metadata); err != nil {
				return nil, nil, 0, formatError("__metadata__ is not an object of strings: %v", err)
			}
			continue
		}
		if name == "" {
			return nil, nil, 0, formatError("tensor with an empty name")
		}
		var info struct {
			Dtype       *string `json:"dtype"`
			Shape       []int64 `json:"shape"`
			DataOffsets []int64 `json:"data_offsets"`
		}
		if err := decodeStrict(dec, &info); err != nil {
			return nil, nil, 0, formatError("tensor %q: %v", name, err)
		}
		switch {
		case info.Dtype == nil || info.Shape == nil || info.DataOffsets == nil:
			return nil, nil, 0, formatError("tensor %q lacks dtype, shape or data_offsets", name)
		case *info.Dtype != "F32":
			return nil, nil, 0, formatError("tensor %q has dtype %q; only F32 is supported", name, *info.Dtype)
		case len(info.Shape) > maxDims:
			return nil, nil, 0, formatError("tensor %q has %d dimensions, at most %d allowed", name, len(info.Shape), maxDims)
		case len(info.DataOffsets) != 2:
			return nil, nil, 0, formatError("tensor %q has %d data offsets, want 2", name, len(info.DataOffsets))
		}
		e := entry{info.DataOffsets[0], info.DataOffsets[1]}
		if e.begin < 0 || e.end < e.begin || e.end > math.MaxInt32*4 {
			return nil, nil, 0, formatError("tensor %q has bad data offsets [%d, %d]", name, e.begin, e.end)
		}
		// Multiply the dimensions without overflow: the product may never
		// exceed the values the offsets hold (a zero dimension empties it).
		count, limit := int64(1), (e.end-e.begin)/4
		shape := make([]int, len(info.Shape))
		for i, d := range info.Shape {
			if d < 0 || d > math.MaxInt32 || (count > 0 && d > limit/count) {
				return nil, nil, 0, formatError("tensor %q: shape %v does not fit its %d bytes", name, info.Shape, e.end-e.begin)
			}
			count *= d
			shape[i] = int(d)
		}
		if 4*count != e.end-e.begin {
			return nil, nil, 0, formatError("tensor %q: shape %v needs %d bytes, offsets give %d", name, info.Shape, 4*count, e.end-e.begin)
		}
		items = append(items, item{Tensor{Name: name, Shape: shape}, e})
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, 0, formatError("header: %v", err)
	}
	// Only padding (white space) may follow the object.
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, 0, formatError("junk after the header object")
	}
	// The tensors must tile the data section exactly, without gaps or
	// overlaps, as the reference implementation requires.
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.e.begin, b.e.begin), cmp.Compare(a.e.end, b.e.end))
	})
	var pos int64
	entries := make([]entry, len(items))
	f.Tensors = make([]Tensor, len(items))
	for i, it := range items {
		if it.e.begin != pos {
			return nil, nil, 0, formatError("tensor %q starts at %d, want %d (gap or overlap)", it.t.Name, it.e.begin, pos)
		}
		pos = it.e.end
		entries[i], f.Tensors[i] = it.e, it.t
	}
	return f, entries, pos, nil
}

// decodeStrict decodes the next JSON value into v, rejecting unknown fields.
func decodeStrict(dec *json.Decoder, v any) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// ReadFile reads the safetensors file at path, refusing files larger than
// maxSize bytes before reading them.
func ReadFile(path string, maxSize int64) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	if st.Size() > maxSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrTooLarge, path, st.Size(), maxSize)
	}
	f, err := Read(bufio.NewReader(fh), maxSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// WriteFile writes f to path atomically: it writes a temporary file in the
// same directory, syncs it and renames it over path. On error the temporary
// file is removed and any file already at path is left as it was.
func WriteFile(path string, f *File) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := Write(tmp, f); err != nil {
		return err
	}
	// CreateTemp makes the file private; a model is meant to be read.
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("safetensors: sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}
