package nn

import (
	"bytes"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestCheckpointRoundTrip(t *testing.T) {
	net := trainedTiny(t)
	kept := map[string][]float32{}
	for _, p := range net.Params() {
		kept[p.Name] = slices.Clone(p.Value.Data)
	}
	want := &Checkpoint{
		Net:       net,
		Optimizer: map[string][]float32{"conv1.W.m": {1, 2, 3}, "conv1.W.v": {4}},
		Epoch:     3, Batch: 17,
		Kept: kept,
		Meta: map[string]string{"train_config": `{"lr":0.002}`},
	}
	var buf bytes.Buffer
	if err := SaveCheckpoint(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCheckpoint(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Epoch != want.Epoch || got.Batch != want.Batch {
		t.Errorf("position epoch %d batch %d, want %d and %d", got.Epoch, got.Batch, want.Epoch, want.Batch)
	}
	if !maps.EqualFunc(got.Optimizer, want.Optimizer, slices.Equal) || !maps.EqualFunc(got.Kept, want.Kept, slices.Equal) {
		t.Errorf("optimizer %v and kept %v, want %v and %v", got.Optimizer, got.Kept, want.Optimizer, want.Kept)
	}
	if !maps.Equal(got.Meta, want.Meta) {
		t.Errorf("metadata %v, want the caller's own %v", got.Meta, want.Meta)
	}
	for i, p := range net.Params() {
		if q := got.Net.Params()[i]; q.Name != p.Name || !slices.Equal(q.Value.Data, p.Value.Data) {
			t.Errorf("parameter %s differs after the round trip", p.Name)
		}
	}
	// A checkpoint is a model file too.
	if _, _, err := Load(bytes.NewReader(buf.Bytes())); err != nil {
		t.Errorf("Load of a checkpoint: %v", err)
	}
}

func TestCheckpointErrors(t *testing.T) {
	net := trainedTiny(t)
	var buf bytes.Buffer
	if err := SaveCheckpoint(&buf, &Checkpoint{Net: net, Meta: map[string]string{"checkpoint_epoch": "9"}}); err == nil {
		t.Error("SaveCheckpoint with a reserved metadata key succeeded")
	}
	buf.Reset()
	if err := Save(&buf, net, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCheckpoint(bytes.NewReader(buf.Bytes())); !errors.Is(err, ErrModel) {
		t.Errorf("LoadCheckpoint of a plain model = %v, want an error wrapping ErrModel", err)
	}
}

// SaveInt8 writes a file about a quarter of the size whose network answers
// almost as the original does.
func TestSaveInt8(t *testing.T) {
	net := trainedTiny(t)
	var f32, i8 bytes.Buffer
	if err := Save(&f32, net, nil); err != nil {
		t.Fatal(err)
	}
	if err := SaveInt8(&i8, net, nil); err != nil {
		t.Fatal(err)
	}
	if i8.Len() >= f32.Len() {
		t.Errorf("int8 file of %d bytes, float32 of %d: want it smaller", i8.Len(), f32.Len())
	}
	q, _, err := Load(&i8)
	if err != nil {
		t.Fatal(err)
	}
	x := randomTensor(rand.New(rand.NewPCG(5, 6)), 2, 1, 8, 8)
	p0 := slices.Clone(net.Predict(x).Data)
	for i, v := range q.Predict(x).Data {
		if d := v - p0[i]; d > 0.02 || d < -0.02 {
			t.Errorf("probability %d is %v with int8 weights, want %v within 0.02", i, v, p0[i])
		}
	}
}
