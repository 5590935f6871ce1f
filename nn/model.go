package nn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
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

// FormatVersion is the version of the model file layout that this package
// writes and reads.
const FormatVersion = 1

// MaxModelSize is the largest model file Load accepts.
const MaxModelSize = 64 << 20

// Metadata keys that Encode sets and Decode checks.
const (
	metaFormat  = "format"
	metaVersion = "format_version"
	metaSpec    = "spec"
)

// ErrModel is wrapped by the errors Decode returns for files that are valid
// safetensors but not a valid tegaki model.
var ErrModel = errors.New("not a valid tegaki model")

// Encode returns net as a safetensors file whose metadata is meta plus the
// format, version and architecture.
func Encode(net *Net, meta map[string]string) (*safetensors.File, error) {
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

// Decode builds the network stored in f and returns it with f's metadata.
// Tensors whose names begin with skipPrefix (if not empty) are ignored, so
// that a checkpoint can carry optimizer state; any other tensor must be a
// parameter of the architecture with the right shape, and every parameter
// must be present. Errors wrap ErrModel.
func Decode(f *safetensors.File, skipPrefix string) (*Net, map[string]string, error) {
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
	for _, t := range f.Tensors {
		if skipPrefix != "" && strings.HasPrefix(t.Name, skipPrefix) {
			continue
		}
		p, ok := byName[t.Name]
		if !ok {
			return nil, nil, bad("tensor %q is not a parameter of architecture %q", t.Name, spec.Name)
		}
		if !sameShape(p.Value.Shape, t.Shape) {
			return nil, nil, bad("tensor %q has shape %v, want %v", t.Name, t.Shape, p.Value.Shape)
		}
		copy(p.Value.Data, t.Data)
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

// Save writes net and meta to w in the model file format.
func Save(w io.Writer, net *Net, meta map[string]string) error {
	f, err := Encode(net, meta)
	if err != nil {
		return err
	}
	return safetensors.Write(w, f)
}

// SaveFile writes net and meta to path atomically: an interrupted save
// leaves any earlier file at path intact.
func SaveFile(path string, net *Net, meta map[string]string) error {
	f, err := Encode(net, meta)
	if err != nil {
		return err
	}
	return safetensors.WriteFile(path, f)
}

// Load reads a model written by Save. It returns an error, never a panic,
// for a truncated, oversized, inconsistent or hostile file.
func Load(r io.Reader) (*Net, map[string]string, error) {
	f, err := safetensors.Read(r, MaxModelSize)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load model: %w", err)
	}
	return Decode(f, "")
}

// LoadBytes is Load for a model held in memory, such as an embedded one.
func LoadBytes(b []byte) (*Net, map[string]string, error) {
	return Load(bytes.NewReader(b))
}

// LoadFile reads the model file at path.
func LoadFile(path string) (*Net, map[string]string, error) {
	f, err := safetensors.ReadFile(path, MaxModelSize)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load model: %w", err)
	}
	net, meta, err := Decode(f, "")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return net, meta, nil
}
