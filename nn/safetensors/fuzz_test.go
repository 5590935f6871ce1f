package safetensors

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzMax is the limit FuzzRead reads with: small, so that the fuzzer
// reaches the size checks too.
const fuzzMax = 1 << 16

// FuzzRead checks that Read never panics, that a reader of known size and
// a stream agree, and that whatever Read accepts survives Write and a
// second Read unchanged. The seeds are in testdata/fuzz/FuzzRead too.
func FuzzRead(f *testing.F) {
	f.Add(encode(f, sample()))
	f.Add(encode(f, &File{}))
	f.Add(encode(f, &File{Metadata: map[string]string{"k": "v"}}))
	f.Add(rawFile(`{"__metadata__": {"format": "pt"}, "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}`, f32s(1, 2)...))
	for _, tt := range malformed {
		f.Add(tt.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), fuzzMax)
		streamed, serr := Read(stream{bytes.NewReader(data)}, fuzzMax)
		if (err == nil) != (serr == nil) {
			t.Fatalf("Read(bytes.Reader) = %v, Read(stream) = %v; want both to fail or both to succeed", err, serr)
		}
		if err != nil {
			for _, err := range []error{err, serr} {
				if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("error %v wraps neither ErrFormat nor ErrTooLarge", err)
				}
			}
			return
		}
		checkSame(t, streamed, got)
		var buf bytes.Buffer
		if err := Write(&buf, got); err != nil {
			t.Fatalf("Write of a file Read accepted: %v", err)
		}
		written := bytes.Clone(buf.Bytes())
		// Rewriting may add up to 7 bytes of padding.
		again, err := Read(&buf, fuzzMax+8)
		if err != nil {
			t.Fatalf("Read of the rewritten file: %v", err)
		}
		checkSame(t, again, got)
		if b := encode(t, again); !bytes.Equal(b, written) {
			t.Fatalf("Write is not stable: %q, then %q", written, b)
		}
	})
}
