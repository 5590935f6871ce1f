package nn

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/tegaki/tegaki/nn/safetensors"
)

// A Checkpoint is everything a training run needs to resume where it
// stopped (nanoGPT's checkpoint holds the same): the network, the
// optimizer's state, the position in training, the parameter values the
// run keeps aside (the best epoch's, say) and the caller's own record.
//
// It is stored as a model file (see Save) with more tensors and metadata,
// so Load reads the network of a checkpoint as it reads any model.
type Checkpoint struct {
	Net          *Net
	Optimizer    map[string][]float32 // the Optimizer's State()
	Epoch, Batch int                  // the Trainer's Epoch and Batch
	Kept         map[string][]float32 // parameter values by Param name, or nil
	Meta         map[string]string    // the caller's record: settings, history
}

// MaxCheckpointSize is the largest checkpoint LoadCheckpoint accepts: a
// network, Adam's two moments of it, and a copy kept aside.
const MaxCheckpointSize = 4 * MaxModelSize

// Names in a checkpoint beyond those of a model file. The tensors'
// prefixes cannot clash with a Param's name, which has no '/'.
const (
	ckptOptimizer = "checkpoint/optimizer/"
	ckptKept      = "checkpoint/kept/"
	ckptPrefix    = "checkpoint/"
	ckptEpoch     = "checkpoint_epoch"
	ckptBatch     = "checkpoint_batch"
)

// reserved reports whether a metadata key is the file's rather than the
// caller's.
func reserved(key string) bool {
	return key == metaFormat || key == metaVersion || key == metaSpec || strings.HasPrefix(key, "checkpoint_")
}

// SaveCheckpoint writes c to w. c.Meta must not use the keys of the model
// file's own metadata or those of the checkpoint, which begin with
// "checkpoint_".
func SaveCheckpoint(w io.Writer, c *Checkpoint) error {
	meta := maps.Clone(c.Meta)
	if meta == nil {
		meta = map[string]string{}
	}
	for k := range meta {
		if reserved(k) {
			return fmt.Errorf("nn: save checkpoint: metadata key %q is reserved", k)
		}
	}
	meta[ckptEpoch] = strconv.Itoa(c.Epoch)
	meta[ckptBatch] = strconv.Itoa(c.Batch)
	f, err := encode(c.Net, meta)
	if err != nil {
		return err
	}
	for _, group := range []struct {
		prefix string
		values map[string][]float32
	}{{ckptOptimizer, c.Optimizer}, {ckptKept, c.Kept}} {
		for _, k := range slices.Sorted(maps.Keys(group.values)) {
			v := group.values[k]
			f.Tensors = append(f.Tensors, safetensors.Tensor{Name: group.prefix + k, Shape: []int{len(v)}, Data: v})
		}
	}
	if err := safetensors.Write(w, f); err != nil {
		return fmt.Errorf("nn: save checkpoint: %w", err)
	}
	return nil
}

// LoadCheckpoint reads a checkpoint written by SaveCheckpoint. A model
// file that is no checkpoint is an error wrapping ErrModel.
func LoadCheckpoint(r io.Reader) (*Checkpoint, error) {
	f, err := safetensors.Read(r, MaxCheckpointSize)
	if err != nil {
		return nil, fmt.Errorf("nn: load checkpoint: %w", err)
	}
	return loadCheckpoint(f)
}

// LoadCheckpointFile reads the checkpoint file at path.
func LoadCheckpointFile(path string) (*Checkpoint, error) {
	f, err := safetensors.ReadFile(path, MaxCheckpointSize)
	if err != nil {
		return nil, fmt.Errorf("nn: load checkpoint: %w", err) // the error names the file
	}
	return loadCheckpoint(f)
}

// loadCheckpoint builds the checkpoint stored in f.
func loadCheckpoint(f *safetensors.File) (*Checkpoint, error) {
	net, meta, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("nn: load checkpoint: %w", err)
	}
	c := &Checkpoint{Net: net, Optimizer: map[string][]float32{}, Meta: map[string]string{}}
	for _, pos := range []struct {
		key string
		dst *int
	}{{ckptEpoch, &c.Epoch}, {ckptBatch, &c.Batch}} {
		n, err := strconv.Atoi(meta[pos.key])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("nn: load checkpoint: %w: metadata %s is %q, want a count", ErrModel, pos.key, meta[pos.key])
		}
		*pos.dst = n
	}
	for k, v := range meta {
		if !reserved(k) {
			c.Meta[k] = v
		}
	}
	for _, t := range f.Tensors {
		switch {
		case strings.HasPrefix(t.Name, ckptOptimizer):
			c.Optimizer[strings.TrimPrefix(t.Name, ckptOptimizer)] = t.Data
		case strings.HasPrefix(t.Name, ckptKept):
			if c.Kept == nil {
				c.Kept = map[string][]float32{}
			}
			c.Kept[strings.TrimPrefix(t.Name, ckptKept)] = t.Data
		}
	}
	return c, nil
}
