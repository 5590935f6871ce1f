package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// measurements holds one side's figures from one round, by key:
// "train/Arch" (samples/s), "predict/Arch" (µs per digit) and
// "gemm/Layout/MxNxK" (GFLOP/s). The Python and Node scripts print the same
// keys.
type measurements map[string]float64

// A side is one of the four programs measured in each round.
type side string

const (
	tegakiNative side = "tegaki"      // go test -bench, natively
	tegakiWasm   side = "tegaki_wasm" // go test -bench, GOOS=js GOARCH=wasm in Node
	pytorch      side = "pytorch"     // torchbench.py
	ortWeb       side = "ort_web"     // ortbench.mjs
)

// rounds holds every round's measurements, by side.
type rounds map[side][]measurements

// median returns the median over the rounds of side's figure key, and
// false if no round measured it.
func (r rounds) median(s side, key string) (float64, bool) {
	var xs []float64
	for _, m := range r[s] {
		if v, ok := m[key]; ok {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return 0, false
	}
	return median(xs), true
}

// median returns the middle value of xs, or the mean of the two middle
// values if there is an even number of them. xs must not be empty.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// A row is one line of the table: a figure measured in tegaki and, where
// there is one, in its peer.
type row struct {
	Figure string   `json:"figure"`
	Tegaki *float64 `json:"tegaki"`         // nil if not measured
	Peer   string   `json:"peer,omitempty"` // "PyTorch", "ORT-web", "torch.mm"; empty for tegaki alone
	Value  *float64 `json:"peer_value"`     // the peer's figure; nil if not measured
}

// ratio returns tegaki's figure over the peer's, and false unless both
// were measured.
func (r row) ratio() (float64, bool) {
	if r.Tegaki == nil || r.Value == nil || *r.Value == 0 {
		return 0, false
	}
	return *r.Tegaki / *r.Value, true
}

// archs are the architectures that both sides build, in the table's order.
var archs = []string{"MLP50", "SimpleConvNet", "LeNet32"}

// defaultArch is tegaki's embedded model, which only tegaki runs; its rows
// have no peer.
const defaultArch = "Tegaki"

// buildRows lays out the table from the medians over r: training, native
// and wasm inference for each architecture (wasm only if wasm is set), then
// tegaki's default model, then one row per GEMM shape in gemm. A figure
// that neither side measured is left out; one that only one side measured
// keeps its row, with a blank where the other would be.
func buildRows(r rounds, gemm []gemmShape, wasm bool) []row {
	var rows []row
	add := func(figure string, key string, tegaki side, peerName string, peer side) {
		x := row{Figure: figure, Peer: peerName}
		if v, ok := r.median(tegaki, key); ok {
			x.Tegaki = &v
		}
		if v, ok := r.median(peer, key); ok && peerName != "" {
			x.Value = &v
		}
		if x.Tegaki != nil || x.Value != nil {
			rows = append(rows, x)
		}
	}
	for _, a := range archs {
		add("training samples/s, "+a, "train/"+a, tegakiNative, "PyTorch", pytorch)
	}
	for _, a := range archs {
		add("batch-1 µs native, "+a, "predict/"+a, tegakiNative, "PyTorch", pytorch)
	}
	if wasm {
		for _, a := range archs {
			add("batch-1 µs wasm in Node, "+a, "predict/"+a, tegakiWasm, "ORT-web", ortWeb)
		}
	}
	add("training samples/s, tegaki's default model", "train/"+defaultArch, tegakiNative, "", "")
	add("batch-1 µs native, tegaki's default model", "predict/"+defaultArch, tegakiNative, "", "")
	if wasm {
		add("batch-1 µs wasm in Node, tegaki's default model", "predict/"+defaultArch, tegakiWasm, "", "")
	}
	for _, g := range gemm {
		add("GEMM GFLOP/s, "+gemmLabel(g.Name), "gemm/"+g.Name, tegakiNative, "torch.mm", pytorch)
	}
	return rows
}

// gemmLabel writes a GEMM sub-benchmark's name for the table:
// "NN/32x10000x400" as "NN 32×10000×400".
func gemmLabel(name string) string {
	elems := strings.Split(name, "/")
	for i, e := range elems {
		if dims.MatchString(e) {
			elems[i] = strings.ReplaceAll(e, "x", "×")
		}
	}
	return strings.Join(elems, " ")
}

// writeTable writes rows as a Markdown table, in the form of README's.
func writeTable(w io.Writer, rows []row) error {
	var b strings.Builder
	b.WriteString("| figure | tegaki | peer | tegaki/peer |\n")
	b.WriteString("| --- | --- | --- | --- |\n")
	for _, r := range rows {
		peer := "—"
		if r.Peer != "" {
			peer = r.Peer + " " + formatValue(r.Value)
		}
		ratio := "—"
		if v, ok := r.ratio(); ok {
			ratio = formatRatio(v)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Figure, formatValue(r.Tegaki), peer, ratio)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatValue writes v to three significant digits below 100 and as a
// whole number with thousands separators from 100 on: 15.1, 7.52, 385,
// 41,741. A nil v is written as a dash.
func formatValue(v *float64) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return "—"
	}
	x := *v
	if x == 0 {
		return "0"
	}
	if math.Abs(x) < 100 {
		decimals := 2 - int(math.Floor(math.Log10(math.Abs(x))))
		s := strconv.FormatFloat(x, 'f', decimals, 64)
		if r, _ := strconv.ParseFloat(s, 64); math.Abs(r) < 100 {
			return s
		}
		// Rounding carried over to 100, as 99.96 does.
	}
	return group(int64(math.Round(x)))
}

// group writes n with a comma between each group of three digits.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// formatRatio writes a ratio to two decimals, or to two significant digits
// when it is so small that two decimals would hide it.
func formatRatio(r float64) string {
	if math.Abs(r) < 0.095 {
		return strconv.FormatFloat(r, 'g', 2, 64)
	}
	return strconv.FormatFloat(r, 'f', 2, 64)
}
