package nn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"strings"

	"github.com/tegaki/tegaki/nn/safetensors"
)

// The model file is a safetensors file (see package safetensors): an 8-byte
// little-endian header length, a JSON header, then the tensors as
// little-endian float32, so numpy or PyTorch users can read tegaki's weights
// with their own tools. Every parameter is one tensor named as its Param
// ("conv1.W" with shape (filters, channels, k, k), "affine1.W" with shape
// (in, out), "bn1.running_mean", ...). The header's __metadata__ holds:
//
//	format          "tegaki"
//	format_version  FormatVersion, as a decimal string
//	spec            the architecture, as the JSON of a Spec
//
// and any other string the saver adds (training figures, for example).
//
// A quantized file (see SaveInt8) stores each weight matrix as int8 (dtype
// I8) next to a float32 tensor of scales named after it with ".scale"
// added ("conv1.W.scale"), one scale per output: a weight is its int8 value
// times its output's scale.

// FormatVersion is the version of the model file layout that this package
// writes and reads.
const FormatVersion = 1

// MaxModelSize is the largest model file Load accepts.
const MaxModelSize = 64 << 20

// Metadata keys that encode sets and decode checks.
const (
	metaFormat  = "format"
	metaVersion = "format_version"
	metaSpec    = "spec"
)

// ErrModel is wrapped by the errors Load, LoadBytes and LoadFile return for files that are valid
// safetensors but not a valid tegaki model, and by those Load and LoadFile
// return for files that are not safetensors at all (a picture given as a
// model, say), which also wrap safetensors.ErrFormat.
var ErrModel = errors.New("not a valid tegaki model")

// encode returns net as a safetensors file whose metadata is meta plus the
// format, version and architecture.
func encode(net *Net, meta map[string]string) (*safetensors.File, error) {
	spec, err := json.Marshal(net.Spec)
	if err != nil {
		return nil, fmt.Errorf("nn: encode spec: %w", err)
	}
	f := &safetensors.File{Metadata: maps.Clone(meta)}
	if f.Metadata == nil {
		f.Metadata = map[string]string{}
	}
	f.Metadata[metaFormat] = "tegaki"
	f.Metadata[metaVersion] = fmt.Sprint(FormatVersion)
	f.Metadata[metaSpec] = string(spec)
	for _, p := range net.Params() {
		f.Tensors = append(f.Tensors, safetensors.Tensor{Name: p.Name, Shape: p.Value.Shape, Data: p.Value.Data})
	}
	return f, nil
}

// scaleSuffix ends the name of the tensor that holds a quantized weight
// matrix's scales.
const scaleSuffix = ".scale"

// quantize stores the weight matrices in f (the ".W" tensors of Affine and
// Conv layers, as encode names them) as int8 with one float32 scale per
// output: per column of an Affine weight (in, out), per filter of a Conv
// weight (filters, channels, kh, kw). Each scale maps the output's largest
// absolute weight to 127, and weights round to the nearest step. Biases and
// batch normalisation stay float32: they are few, and a bias error shifts
// every output. The file shrinks to about a quarter of its size.
//
// Quantizing changes what the network computes, a little: measure the
// accuracy of the network that decode builds from the quantized file, not
// that of the original. quantize returns an error if f holds int8 tensors
// already.
func quantize(f *safetensors.File) error {
	out := make([]safetensors.Tensor, 0, len(f.Tensors)+4)
	for _, t := range f.Tensors {
		if t.DType == safetensors.I8 {
			return fmt.Errorf("nn: quantize: tensor %q is quantized already", t.Name)
		}
		outputs, index, ok := weightLayout(t)
		if !ok {
			out = append(out, t)
			continue
		}
		scale := make([]float32, outputs)
		for i, v := range t.Data {
			o := index(i)
			scale[o] = max(scale[o], abs32(v))
		}
		for o := range scale {
			scale[o] /= 127
		}
		q := make([]float32, len(t.Data))
		for i, v := range t.Data {
			if s := scale[index(i)]; s > 0 {
				q[i] = float32(math.Round(float64(v / s)))
			}
		}
		out = append(out,
			safetensors.Tensor{Name: t.Name, DType: safetensors.I8, Shape: t.Shape, Data: q},
			safetensors.Tensor{Name: t.Name + scaleSuffix, DType: safetensors.F32, Shape: []int{outputs}, Data: scale})
	}
	f.Tensors = out
	return nil
}

// weightLayout reports whether t is a weight matrix that quantize stores as
// int8 and, if so, its number of outputs and the output of each value.
func weightLayout(t safetensors.Tensor) (outputs int, index func(i int) int, ok bool) {
	if !strings.HasSuffix(t.Name, ".W") || len(t.Data) == 0 {
		return 0, nil, false
	}
	switch len(t.Shape) {
	case 2: // Affine (in, out): outputs are columns.
		n := t.Shape[1]
		return n, func(i int) int { return i % n }, true
	case 4: // Conv (filters, channels, kh, kw): outputs are filters.
		per := t.Shape[1] * t.Shape[2] * t.Shape[3]
		return t.Shape[0], func(i int) int { return i / per }, true
	}
	return 0, nil, false
}

func abs32(v float32) float32 { return max(v, -v) }

// decode builds the network stored in f and returns it with f's metadata.
// A checkpoint's own tensors (see Checkpoint) are ignored, so that Load
// reads a checkpoint's network; any other tensor must be a parameter of
// the architecture with the right shape, and every parameter must be
// present. Errors wrap ErrModel.
func decode(f *safetensors.File) (*Net, map[string]string, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("nn: %w: %s", ErrModel, fmt.Sprintf(format, args...))
	}
	if f.Metadata[metaFormat] != "tegaki" {
		return nil, nil, bad("metadata format is %q, want \"tegaki\"", f.Metadata[metaFormat])
	}
	if v := f.Metadata[metaVersion]; v != fmt.Sprint(FormatVersion) {
		return nil, nil, bad("format version %q, this program reads version %d (hint: retrain with this version's tools/train, or use the tegaki release that wrote it)", v, FormatVersion)
	}
	var spec Spec
	dec := json.NewDecoder(strings.NewReader(f.Metadata[metaSpec]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return nil, nil, bad("architecture: %v", err)
	}
	// Building allocates the parameters before the file's tensors are
	// matched to them: bound it by the values the file really holds, so a
	// small file cannot describe a huge network.
	values := 0
	for _, t := range f.Tensors {
		values += len(t.Data)
	}
	net, err := spec.buildLimited(values)
	if err != nil {
		return nil, nil, bad("%v", err)
	}
	byName := make(map[string]*Param)
	for _, p := range net.Params() {
		byName[p.Name] = p
	}
	seen := make(map[string]bool)
	scales := make(map[string]*safetensors.Tensor)
	for _, t := range f.Tensors {
		if t.DType == safetensors.I8 {
			if s, ok := f.Lookup(t.Name + scaleSuffix); ok {
				scales[t.Name] = s
				seen[s.Name] = true
			}
		}
	}
	for _, t := range f.Tensors {
		if strings.HasPrefix(t.Name, ckptPrefix) {
			continue
		}
		if seen[t.Name] {
			continue // the scales of a quantized weight, used below
		}
		p, ok := byName[t.Name]
		if !ok {
			return nil, nil, bad("tensor %q is not a parameter of architecture %q", t.Name, spec.Name)
		}
		if !sameShape(p.Value.Shape, t.Shape) {
			return nil, nil, bad("tensor %q has shape %v, want %v", t.Name, t.Shape, p.Value.Shape)
		}
		if t.DType == safetensors.I8 {
			if err := dequantize(p.Value.Data, t, scales[t.Name]); err != nil {
				return nil, nil, bad("%v", err)
			}
		} else {
			copy(p.Value.Data, t.Data)
		}
		seen[t.Name] = true
	}
	for _, p := range net.Params() {
		if !seen[p.Name] {
			return nil, nil, bad("tensor %q is missing", p.Name)
		}
		if strings.HasSuffix(p.Name, ".running_var") {
			for _, v := range p.Value.Data {
				if v < 0 {
					return nil, nil, bad("tensor %q has a negative variance", p.Name)
				}
			}
		}
	}
	return net, f.Metadata, nil
}

// dequantize sets dst to the weights of the int8 tensor t with the given
// scales (nil if the file has none).
func dequantize(dst []float32, t safetensors.Tensor, scale *safetensors.Tensor) error {
	outputs, index, ok := weightLayout(t)
	switch {
	case !ok:
		return fmt.Errorf("tensor %q is int8, but only weight matrices may be", t.Name)
	case scale == nil:
		return fmt.Errorf("int8 tensor %q has no %q tensor", t.Name, t.Name+scaleSuffix)
	case scale.DType == safetensors.I8 || !sameShape(scale.Shape, []int{outputs}):
		return fmt.Errorf("tensor %q is %s %v, want F32 [%d]", scale.Name, scale.DType, scale.Shape, outputs)
	}
	for _, s := range scale.Data {
		if s < 0 {
			return fmt.Errorf("tensor %q has a negative scale", scale.Name)
		}
	}
	for i, v := range t.Data {
		dst[i] = v * scale.Data[index(i)]
	}
	return nil
}

// Save writes net and meta to w in the model file format, with float32
// weights.
func Save(w io.Writer, net *Net, meta map[string]string) error {
	f, err := encode(net, meta)
	if err != nil {
		return err
	}
	return safetensors.Write(w, f)
}

// SaveInt8 is Save with each weight matrix (of the Affine and Conv layers)
// stored as int8 and one float32 scale per output, which makes the file
// about a quarter of the size. Each scale maps the output's largest
// absolute weight to 127, and weights round to the nearest step; biases
// and batch normalisation stay float32: they are few, and a bias error
// shifts every output.
//
// This changes what the network computes, a little: measure the network
// that Load reads back from the file, not the one saved.
func SaveInt8(w io.Writer, net *Net, meta map[string]string) error {
	f, err := encode(net, meta)
	if err != nil {
		return err
	}
	if err := quantize(f); err != nil {
		return err
	}
	return safetensors.Write(w, f)
}

// Load reads a model written by Save or SaveInt8. It returns an error, never a panic,
// for a truncated, oversized, inconsistent or hostile file.
func Load(r io.Reader) (*Net, map[string]string, error) {
	f, err := safetensors.Read(r, MaxModelSize)
	if err != nil {
		return nil, nil, loadError(err)
	}
	return decode(f)
}

// loadError wraps an error from reading a model file, saying for one that
// is not safetensors that it is no model.
func loadError(err error) error {
	if errors.Is(err, safetensors.ErrFormat) {
		return fmt.Errorf("nn: load model: %w (tools/train writes them): %w", ErrModel, err)
	}
	return fmt.Errorf("nn: load model: %w", err)
}

// LoadBytes is Load for a model held in memory, such as an embedded one.
func LoadBytes(b []byte) (*Net, map[string]string, error) {
	return Load(bytes.NewReader(b))
}

// LoadFile reads the model file at path.
func LoadFile(path string) (*Net, map[string]string, error) {
	f, err := safetensors.ReadFile(path, MaxModelSize)
	if err != nil {
		return nil, nil, loadError(err) // the error names the file
	}
	net, meta, err := decode(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return net, meta, nil
}
