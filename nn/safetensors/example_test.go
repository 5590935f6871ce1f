package safetensors_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tegaki/tegaki/nn/safetensors"
)

// Example writes two tensors and reads them back. The header is the JSON
// a numpy or PyTorch user's loader sees.
func Example() {
	f := &safetensors.File{
		Metadata: map[string]string{"format": "example"},
		Tensors: []safetensors.Tensor{
			{Name: "w", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}},
			{Name: "b", Shape: []int{3}, Data: []float32{0.5, 0, -0.5}},
		},
	}
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, f); err != nil {
		log.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(buf.Bytes())
	fmt.Printf("%d bytes: 8 + %d of header + %d of data\n", buf.Len(), n, buf.Len()-8-int(n))
	fmt.Printf("%s\n", bytes.TrimRight(buf.Bytes()[8:8+n], " "))

	g, err := safetensors.Read(&buf, 1<<20)
	if err != nil {
		log.Fatal(err)
	}
	w, _ := g.Lookup("w")
	fmt.Println(g.Metadata["format"], w.Shape, w.Data)
	// Output:
	// 196 bytes: 8 + 152 of header + 36 of data
	// {"__metadata__":{"format":"example"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"F32","shape":[3],"data_offsets":[24,36]}}
	// example [2 3] [1 2 3 4 5 6]
}

// ExampleRead shows how a caller tells a damaged file from one over its
// size limit.
func ExampleRead() {
	var buf bytes.Buffer
	f := &safetensors.File{Tensors: []safetensors.Tensor{{Name: "x", Shape: []int{4}, Data: []float32{1, 2, 3, 4}}}}
	if err := safetensors.Write(&buf, f); err != nil {
		log.Fatal(err)
	}
	file := buf.Bytes()

	_, err := safetensors.Read(bytes.NewReader(file[:len(file)-1]), 1<<20)
	fmt.Println(errors.Is(err, safetensors.ErrFormat), err)
	_, err = safetensors.Read(bytes.NewReader(file), 64)
	fmt.Println(errors.Is(err, safetensors.ErrTooLarge), err)
	// Output:
	// true safetensors: tensor "x": data_offsets [0, 16] beyond the end of the file, which has 15 bytes of data
	// true safetensors: file is 80 bytes, over the limit of 64
}

// ExampleReadFile saves a file and loads it again.
func ExampleReadFile() {
	dir, err := os.MkdirTemp("", "safetensors")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	f := &safetensors.File{Tensors: []safetensors.Tensor{{Name: "bias", Shape: []int{2}, Data: []float32{0.1, 0.2}}}}
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, f); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	g, err := safetensors.ReadFile(path, 1<<20)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Tensors[0].Name, g.Tensors[0].Data)
	// Output: bias [0.1 0.2]
}
