package safetensors

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Write writes f to w in the safetensors layout. The same File always
// gives the same bytes (see the package documentation for the header's
// exact form). Tensors are stored in the order of f.Tensors.
//
// Write checks f before it writes anything, and returns an error for: a
// tensor with an empty name, the name "__metadata__" or a name used twice;
// a negative dimension, more than 8 dimensions, or len(Data) other than
// the product of Shape (which must not overflow); a dtype other than F32
// and I8; a NaN or infinite value; in an I8 tensor, a value that is not a
// whole number from -128 to 127;
// a name or metadata string that is not valid UTF-8; a header over 1 MiB.
// Each of these would make a file that Read rejects. Errors from w are
// returned wrapped.
func Write(w io.Writer, f *File) error {
	if err := write(w, f); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	return nil
}

// write is Write without the error prefix.
func write(w io.Writer, f *File) error {
	if f == nil {
		return errors.New("nil *File")
	}
	header, err := appendHeader(make([]byte, 8, 1024), f)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(header, uint64(len(header)-8))

	// Copy the header and data through one buffer, written a chunk at a
	// time.
	buf := append(make([]byte, 0, chunk), header...)
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			if len(buf)+4 > cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
			if t.DType == I8 {
				buf = append(buf, byte(int8(v)))
			} else {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
		}
	}
	if _, err := w.Write(buf); err != nil {
		return err
	}
	return nil
}

// appendHeader checks f and appends its JSON header to b, padded with
// spaces to a multiple of 8 bytes (b's length must be a multiple of 8).
func appendHeader(b []byte, f *File) ([]byte, error) {
	start := len(b)
	b = append(b, '{')
	if len(f.Metadata) > 0 {
		b = append(b, `"__metadata__":{`...)
		for i, k := range slices.Sorted(maps.Keys(f.Metadata)) {
			v := f.Metadata[k]
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("metadata %q: %q is not valid UTF-8", k, v)
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, v)
		}
		b = append(b, '}')
	}
	seen := make(map[string]bool, len(f.Tensors))
	var offset int64
	for i := range f.Tensors {
		t := &f.Tensors[i]
		n, err := check(t)
		if err != nil {
			return nil, err
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		if len(b) > start+1 {
			b = append(b, ',')
		}
		b = appendString(b, t.Name)
		dtype := cmp.Or(t.DType, F32)
		b = append(b, `:{"dtype":"`...)
		b = append(b, dtype...)
		b = append(b, `","shape":[`...)
		for j, d := range t.Shape {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(d), 10)
		}
		b = append(b, `],"data_offsets":[`...)
		b = strconv.AppendInt(b, offset, 10)
		b = append(b, ',')
		offset += dtype.size() * int64(n)
		b = strconv.AppendInt(b, offset, 10)
		b = append(b, "]}"...)
		if len(b)-start > maxHeader {
			break // reported below, before the rest is checked
		}
	}
	b = append(b, '}')
	for len(b)%align != 0 {
		b = append(b, ' ')
	}
	if len(b)-start > maxHeader {
		return nil, fmt.Errorf("header over the limit of %d bytes", maxHeader)
	}
	return b, nil
}

// check checks one tensor on its own and returns its number of values.
func check(t *Tensor) (int, error) {
	switch {
	case t.Name == "":
		return 0, errors.New("tensor with an empty name")
	case t.Name == metadataKey:
		return 0, fmt.Errorf("tensor named %q, which is reserved for metadata", t.Name)
	case !utf8.ValidString(t.Name):
		return 0, fmt.Errorf("tensor name %q is not valid UTF-8", t.Name)
	case len(t.Shape) > maxDims:
		return 0, fmt.Errorf("tensor %q has %d dimensions, at most %d allowed", t.Name, len(t.Shape), maxDims)
	}
	n := 1
	for _, d := range t.Shape {
		if d < 0 {
			return 0, fmt.Errorf("tensor %q has a negative dimension in shape %v", t.Name, t.Shape)
		}
		if d > 0 && n > math.MaxInt/d {
			return 0, fmt.Errorf("tensor %q: shape %v overflows", t.Name, t.Shape)
		}
		n *= d
	}
	if n != len(t.Data) {
		return 0, fmt.Errorf("tensor %q has %d values for shape %v, want %d", t.Name, len(t.Data), t.Shape, n)
	}
	if t.DType.size() == 0 {
		return 0, fmt.Errorf("tensor %q has dtype %q; only F32 and I8 are supported", t.Name, t.DType)
	}
	for i, v := range t.Data {
		if math.Float32bits(v)&0x7f800000 == 0x7f800000 {
			return 0, fmt.Errorf("tensor %q has non-finite value at %d", t.Name, i)
		}
		if t.DType == I8 && (v < -128 || v > 127 || v != float32(int8(v))) {
			return 0, fmt.Errorf("tensor %q has dtype I8 but value %v at %d is not a whole number from -128 to 127", t.Name, v, i)
		}
	}
	return n, nil
}

// appendString appends s, valid UTF-8, as a JSON string escaped as
// serde_json escapes it (the reference implementation's JSON library):
// '"', '\\' and control characters only, with short forms where JSON has
// them.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}
