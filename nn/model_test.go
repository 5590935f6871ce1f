package nn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn/safetensors"
)

// trainedTiny returns a small network with non-trivial weights and batch
// norm statistics.
func trainedTiny(t testing.TB) *Net {
	t.Helper()
	spec := Spec{
		Name: "tiny", Input: []int{1, 8, 8}, Classes: 3,
		Layers: []LayerSpec{
			{Type: "conv", Out: 2, Kernel: 3, Pad: 1}, {Type: "batchnorm"}, {Type: "relu"}, {Type: "maxpool", Kernel: 2},
			{Type: "affine", Out: 3},
		},
	}
	net, err := spec.Build(3)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := randomTensor(rng, 4, 1, 8, 8)
	net.Gradient(x, []int{0, 1, 2, 1})
	(&SGD{LR: 0.1}).Update(net.Params())
	return net
}

func TestSaveLoadRoundTrip(t *testing.T) {
	net := trainedTiny(t)
	var buf bytes.Buffer
	if err := Save(&buf, net, map[string]string{"test_accuracy": "0.5"}); err != nil {
		t.Fatal(err)
	}
	got, meta, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if meta["test_accuracy"] != "0.5" || meta["format"] != "tegaki" {
		t.Errorf("metadata = %v, want test_accuracy 0.5 and format tegaki", meta)
	}
	want, have := net.Params(), got.Params()
	if len(want) != len(have) {
		t.Fatalf("loaded %d params, want %d", len(have), len(want))
	}
	for i := range want {
		if want[i].Name != have[i].Name || !sameShape(want[i].Value.Shape, have[i].Value.Shape) {
			t.Fatalf("param %d: %s%v, want %s%v", i, have[i].Name, have[i].Value.Shape, want[i].Name, want[i].Value.Shape)
		}
		for j := range want[i].Value.Data {
			if want[i].Value.Data[j] != have[i].Value.Data[j] {
				t.Fatalf("%s[%d] = %v, want %v", want[i].Name, j, have[i].Value.Data[j], want[i].Value.Data[j])
			}
		}
	}
	// The same input gives bit-identical probabilities.
	x := randomTensor(rand.New(rand.NewPCG(9, 9)), 2, 1, 8, 8)
	p1 := append([]float32(nil), net.Predict(x).Data...)
	p2 := got.Predict(x).Data
	for i := range p1 {
		if p1[i] != p2[i] {
			t.Fatalf("Predict after Load differs at %d: %v, want %v", i, p2[i], p1[i])
		}
	}
	// Saving is deterministic.
	var again bytes.Buffer
	if err := Save(&again, got, meta); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("saving the loaded model gives different bytes")
	}
}

func TestLoadRejects(t *testing.T) {
	net := trainedTiny(t)
	encode := func(edit func(f *safetensors.File)) []byte {
		f, err := encode(net, nil)
		if err != nil {
			t.Fatal(err)
		}
		edit(f)
		var buf bytes.Buffer
		if err := safetensors.Write(&buf, f); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	good := encode(func(*safetensors.File) {})
	tests := []struct {
		name string
		file []byte
		want error // nil: any error
	}{
		{"empty", nil, nil},
		{"truncated", good[:len(good)-3], nil},
		{"huge header length", append(binary.LittleEndian.AppendUint64(nil, 1<<60), good[8:]...), nil},
		{"not tegaki", encode(func(f *safetensors.File) { f.Metadata["format"] = "pytorch" }), ErrModel},
		{"future version", encode(func(f *safetensors.File) { f.Metadata["format_version"] = "99" }), ErrModel},
		{"bad spec JSON", encode(func(f *safetensors.File) { f.Metadata["spec"] = "{" }), ErrModel},
		{"unknown spec field", encode(func(f *safetensors.File) {
			f.Metadata["spec"] = strings.Replace(f.Metadata["spec"], `"name"`, `"evil":1,"name"`, 1)
		}), ErrModel},
		{"unknown layer", encode(func(f *safetensors.File) {
			f.Metadata["spec"] = strings.Replace(f.Metadata["spec"], `"relu"`, `"gelu"`, 1)
		}), ErrModel},
		{"huge network, small file", encode(func(f *safetensors.File) {
			f.Metadata["spec"] = strings.Replace(f.Metadata["spec"], `"out":3}`, `"out":4000},{"type":"affine","out":4000},{"type":"affine","out":3}`, 1)
		}), ErrModel},
		{"missing tensor", encode(func(f *safetensors.File) { f.Tensors = f.Tensors[1:] }), ErrModel},
		{"extra tensor", encode(func(f *safetensors.File) {
			f.Tensors = append(f.Tensors, safetensors.Tensor{Name: "evil", Shape: []int{1}, Data: []float32{1}})
		}), ErrModel},
		{"wrong shape", encode(func(f *safetensors.File) { f.Tensors[0].Shape = []int{len(f.Tensors[0].Data)} }), ErrModel},
		{"int8 bias", encode(func(f *safetensors.File) {
			mustQuantize(t, f)
			for i := range f.Tensors {
				if strings.HasSuffix(f.Tensors[i].Name, ".b") {
					f.Tensors[i].DType = safetensors.I8
					clear(f.Tensors[i].Data)
					break
				}
			}
		}), ErrModel},
		{"int8 without scales", encode(func(f *safetensors.File) {
			mustQuantize(t, f)
			f.Tensors = slices.DeleteFunc(f.Tensors, func(t safetensors.Tensor) bool { return t.Name == "conv1.W.scale" })
		}), ErrModel},
		{"scales of the wrong shape", encode(func(f *safetensors.File) {
			mustQuantize(t, f)
			s, _ := f.Lookup("conv1.W.scale")
			s.Shape, s.Data = []int{1}, s.Data[:1]
		}), ErrModel},
		{"negative scale", encode(func(f *safetensors.File) {
			mustQuantize(t, f)
			s, _ := f.Lookup("affine1.W.scale")
			s.Data[0] = -1
		}), ErrModel},
		{"scales without int8", encode(func(f *safetensors.File) {
			f.Tensors = append(f.Tensors, safetensors.Tensor{Name: "conv1.W.scale", Shape: []int{2}, Data: []float32{1, 1}})
		}), ErrModel},
		{"negative variance", encode(func(f *safetensors.File) {
			for i := range f.Tensors {
				if strings.HasSuffix(f.Tensors[i].Name, "running_var") {
					f.Tensors[i].Data = []float32{-1, 1}
				}
			}
		}), ErrModel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, _, err := Load(bytes.NewReader(tt.file))
			if err == nil {
				t.Fatalf("Load succeeded with %s", net.Spec.Name)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Load error %q does not wrap %q", err, tt.want)
			}
		})
	}
}

func mustQuantize(t testing.TB, f *safetensors.File) {
	t.Helper()
	if err := quantize(f); err != nil {
		t.Fatal(err)
	}
}

// TestQuantize checks that int8 weights stay within half a step of the
// originals, that the rest is untouched, that the network's outputs barely
// move, and that a quantized file cannot be quantized again.
func TestQuantize(t *testing.T) {
	net := trainedTiny(t)
	f, err := encode(net, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustQuantize(t, f)
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	got, _, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range net.Params() {
		q := got.Params()[i]
		int8s := 0
		for _, tt := range f.Tensors {
			if tt.Name == p.Name && tt.DType == safetensors.I8 {
				int8s++
			}
		}
		if want := strings.HasSuffix(p.Name, ".W"); (int8s == 1) != want {
			t.Errorf("%s stored as int8: %v, want %v", p.Name, int8s == 1, want)
		}
		step := float32(0)
		if int8s == 1 {
			for _, v := range p.Value.Data {
				step = max(step, abs32(v)/127)
			}
		}
		for j, v := range p.Value.Data {
			if d := abs32(q.Value.Data[j] - v); d > step/2*1.0001 {
				t.Fatalf("%s[%d] = %v after quantizing, want %v within %v", p.Name, j, q.Value.Data[j], v, step/2)
			}
		}
	}
	x := randomTensor(rand.New(rand.NewPCG(9, 9)), 4, 1, 8, 8)
	p1 := append([]float32(nil), net.Predict(x).Data...)
	for i, v := range got.Predict(x).Data {
		if abs32(v-p1[i]) > 0.02 {
			t.Errorf("probability %d = %v after quantizing, want %v within 0.02", i, v, p1[i])
		}
	}
	if err := quantize(f); err == nil {
		t.Error("quantizing a quantized file succeeded")
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	var buf bytes.Buffer
	if err := Save(&buf, trainedTiny(t), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadFile(filepath.Join(dir, "missing.safetensors")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile of a missing file = %v, want fs.ErrNotExist", err)
	}
}

// FuzzLoad checks that no file makes Load panic or accept an inconsistent
// network: whatever loads must predict with the shapes its spec promises.
func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	if err := Save(&buf, trainedTiny(f), map[string]string{"k": "v"}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:len(buf.Bytes())/2])
	f.Add([]byte{})
	f.Add([]byte("\x10\x00\x00\x00\x00\x00\x00\x00{}              "))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, _, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		x := NewTensor(append([]int{1}, net.Spec.Input...)...)
		if p := net.Predict(x); p.Shape[1] != net.Spec.Classes {
			t.Fatalf("loaded net predicts %v, want %d classes", p.Shape, net.Spec.Classes)
		}
	})
}

// A file that is not safetensors at all is no model either.
func TestLoadNotAModel(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x1c\x00\x00\x00\x1c\x08\x00\x00\x00\x00")
	_, _, err := Load(bytes.NewReader(png))
	if !errors.Is(err, ErrModel) || !errors.Is(err, safetensors.ErrFormat) {
		t.Errorf("Load(a PNG) = %v, want an error wrapping ErrModel and safetensors.ErrFormat", err)
	}
}
