package pretrained

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
)

// minAccuracy is the floor for the default CNN on MNIST's test set.
const minAccuracy = 0.994

// testSet loads the 10,000 MNIST test images as network input.
func testSet(t testing.TB) (*nn.Tensor, []int) {
	t.Helper()
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	x := &nn.Tensor{Shape: []int{test.Len(), 1, test.Rows, test.Cols}, Data: test.Float32()}
	labels := make([]int, test.Len())
	for i, l := range test.Labels {
		labels[i] = int(l)
	}
	return x, labels
}

// TestAccuracy runs the embedded model on all 10,000 MNIST test images and
// checks the result against the floor, the figure recorded in the model
// file by tools/train, and the figure README.md states.
func TestAccuracy(t *testing.T) {
	net, err := Net()
	if err != nil {
		t.Fatal(err)
	}
	x, labels := testSet(t)
	acc := net.Accuracy(x, labels, 500)
	t.Logf("embedded %s: %.2f%% on %d MNIST test images", net.Spec.Name, 100*acc, len(labels))
	if acc < minAccuracy {
		t.Errorf("accuracy %.4f, want at least %.4f", acc, minAccuracy)
	}
	info, err := Describe()
	if err != nil {
		t.Fatal(err)
	}
	if recorded := info.TestAccuracy; fmt.Sprintf("%.4f", recorded) != fmt.Sprintf("%.4f", acc) {
		t.Errorf("model file records test accuracy %.4f, measured %.4f", recorded, acc)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if figure := fmt.Sprintf("%.2f%%", 100*acc); !strings.Contains(string(readme), figure) {
		t.Errorf("README.md does not state the measured accuracy %s", figure)
	}
}

func TestDescribe(t *testing.T) {
	info, err := Describe()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(weights)
	if info.SHA256 != hex.EncodeToString(sum[:]) || SHA256() != info.SHA256 {
		t.Errorf("SHA256 = %s, want %x", info.SHA256, sum)
	}
	if info.Name != nn.DefaultArchitecture {
		t.Errorf("embedded architecture %q, want %q", info.Name, nn.DefaultArchitecture)
	}
	if info.Params == 0 || info.TestAccuracy == 0 {
		t.Errorf("Describe() = %+v, want parameters and a test accuracy", info)
	}
	if n := len(weights); n > 1<<20 {
		t.Errorf("model file is %d bytes, want under 1 MiB", n)
	}
}

// TestNetIndependent checks that each Net call returns its own network, so
// that goroutines can classify concurrently.
func TestNetIndependent(t *testing.T) {
	a, err := Net()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Net()
	if err != nil {
		t.Fatal(err)
	}
	a.Params()[0].Value.Data[0]++
	if a.Params()[0].Value.Data[0] == b.Params()[0].Value.Data[0] {
		t.Error("two networks share their weights")
	}
}

// BenchmarkPredict measures the classification of one digit by the
// embedded model (the target: under 0.3 ms native, 3 ms in wasm).
func BenchmarkPredict(b *testing.B) {
	net, err := Net()
	if err != nil {
		b.Fatal(err)
	}
	x, _ := testSet(b)
	one := &nn.Tensor{Shape: []int{1, 1, 28, 28}, Data: x.Data[:784]}
	net.Predict(one)
	b.ReportAllocs()
	for b.Loop() {
		net.Predict(one)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/digit")
}
