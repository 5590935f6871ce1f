// Package safetensors reads and writes tensors in the safetensors layout (https://huggingface.co/docs/safetensors), so that numpy and
// PyTorch users can load tegaki's weights with their own tools.
//
// # Layout
//
// A file is, in order:
//
//	8 bytes   N, the length of the header, a little-endian uint64
//	N bytes   the header: a UTF-8 JSON object, padded with spaces
//	rest      the data section: every tensor's values, row-major, at the
//	          offsets the header gives, as little-endian float32 (dtype
//	          F32) or as signed bytes (dtype I8)
//
// The header maps each tensor's name to its description, and may hold one
// more key, "__metadata__", whose value is an object of strings:
//
//	{"__metadata__":{"format":"tegaki"},
//	 "w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
//	 "b":{"dtype":"F32","shape":[3],"data_offsets":[24,36]}}
//
// data_offsets are [begin, end) in bytes from the start of the data
// section. The tensors must cover the data section exactly: no gaps, no
// overlaps and nothing after the last one.
//
// # What Write produces
//
// Write gives the same bytes for the same File. The header is compact JSON
// with "__metadata__" first (as the reference implementation writes it)
// and its keys sorted, then the tensors in the order of File.Tensors, each
// with its fields in the order dtype, shape, data_offsets. The header is
// padded with spaces so that the data section starts at a multiple of 8
// bytes, as the reference implementation does. Strings are escaped as
// serde_json escapes them. The reference writer orders tensors by dtype and
// name instead; every reader, this one included, orders them by offset, so
// the choice of order is the writer's.
//
// An empty or nil Metadata writes no "__metadata__" key, and Read returns a
// nil Metadata for a file without one or with an empty one.
//
// # Shapes
//
// A shape of [] is a scalar with one value. Dimensions of 0 are allowed
// (the reference implementation allows them): such a tensor has no values
// and data_offsets [x, x]. At most 8 dimensions are allowed.
//
// # What Read accepts
//
// Read accepts what the reference implementation writes and what a
// hand-written Python or numpy writer is likely to produce: any header
// padding made of JSON white space, keys in any order, tensors listed in
// any order in the header. It checks every number against the bytes
// actually present, or against the caller's size limit when the reader's
// size is unknown, before it allocates, so a truncated or hostile file
// gives an error, never a panic or an unbounded allocation. The dtypes F32
// and I8 are supported; whatever the dtype, a Tensor holds its values as
// float32 in memory (an I8 tensor's are whole numbers from -128 to 127,
// and what they stand for, a scale for example, is the caller's business).
// Errors for invalid files wrap ErrFormat.
//
// Read is stricter than the reference implementation in a few ways: it
// rejects duplicate keys (which the reference, like encoding/json, lets
// the last one win), unknown fields, headers over 1 MiB (the reference
// allows 100 MB), and NaN or infinite values (a weight file holding one is
// broken; Write refuses to write them for the same reason).
//
// The tensors Read returns share one backing array, so the whole file
// stays in memory while any of its tensors is reachable.
package safetensors

import "errors"

// Tensor is one named, row-major array.
type Tensor struct {
	Name  string
	DType DType     // how Data is stored in the file; "" means F32
	Shape []int     // nil or empty for a scalar
	Data  []float32 // len(Data) is the product of Shape (1 for a scalar)
}

// DType is the type a tensor's values have in the file. In memory they are
// float32 whatever the DType.
type DType string

// The dtypes this package reads and writes, named as in the safetensors
// specification.
const (
	F32 DType = "F32" // little-endian IEEE 754 float32
	I8  DType = "I8"  // signed bytes: Data holds whole numbers from -128 to 127
)

// size returns the bytes one value of d takes, or 0 for a dtype this
// package does not support.
func (d DType) size() int64 {
	switch d {
	case F32, "":
		return 4
	case I8:
		return 1
	}
	return 0
}

// File is the whole content of a safetensors file.
type File struct {
	Metadata map[string]string // the "__metadata__" object; may be nil
	Tensors  []Tensor          // in the order of their data
}

// Lookup returns the tensor with the given name. It searches the tensors
// in order, so a File with many tensors is better turned into a map.
func (f *File) Lookup(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

var (
	// ErrFormat is wrapped by the errors Read and ReadFile return for
	// data that is not a valid safetensors file, or uses what this package
	// does not support (a dtype other than F32 and I8, more than 8 dimensions, a
	// header over 1 MiB).
	ErrFormat = errors.New("safetensors: invalid file")

	// ErrTooLarge is wrapped by the errors Read and ReadFile return for a
	// file that is, or whose header says it is, larger than the caller's
	// limit.
	ErrTooLarge = errors.New("safetensors: file too large")
)

const (
	// metadataKey is the header key that holds the metadata, not a tensor.
	metadataKey = "__metadata__"

	// maxHeader bounds the JSON header. A tegaki model's header is about
	// 1 kB; 1 MiB holds some 10,000 tensor descriptions.
	maxHeader = 1 << 20

	// maxDims bounds the rank of a tensor (NCHW needs 4).
	maxDims = 8

	// align is the alignment of the data section within the file.
	align = 8
)

// fileError is an error in the file being read. It unwraps to its kind,
// ErrFormat or ErrTooLarge, and to the I/O error that revealed it, if any.
// Its message repeats neither the kind's nor the package's name: Read and
// ReadFile add "safetensors: " and the path.
type fileError struct {
	kind error
	msg  string
	err  error // may be nil
}

func (e *fileError) Error() string {
	if e.err != nil {
		return e.msg + ": " + e.err.Error()
	}
	return e.msg
}

func (e *fileError) Unwrap() []error {
	if e.err != nil {
		return []error{e.kind, e.err}
	}
	return []error{e.kind}
}
