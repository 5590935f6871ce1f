package main

import (
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{5}, 5},
		{[]float64{3, 1}, 2},
		{[]float64{3, 1, 2}, 2},
		{[]float64{10, 1, 4, 2}, 3},
		{[]float64{7, 7, 1, 100, 7}, 7},
	}
	for _, tt := range tests {
		in := append([]float64(nil), tt.in...)
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.in[i] {
				t.Fatalf("median reordered its argument: %v, was %v", tt.in, in)
			}
		}
	}
}

func TestRoundsMedian(t *testing.T) {
	r := rounds{pytorch: {{"train/MLP50": 3}, {}, {"train/MLP50": 1}, {"train/MLP50": 2}}}
	if got, ok := r.median(pytorch, "train/MLP50"); !ok || got != 2 {
		t.Errorf("median over the rounds that measured it = %v, %v; want 2, true", got, ok)
	}
	if _, ok := r.median(pytorch, "train/LeNet32"); ok {
		t.Error("median of a figure no round measured reports true")
	}
	if _, ok := r.median(ortWeb, "predict/MLP50"); ok {
		t.Error("median of a side that never ran reports true")
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{41741.4, "41,741"},
		{1234567, "1,234,567"},
		{1795, "1,795"},
		{968.4, "968"},
		{100, "100"},
		{99.96, "100"}, // rounding carries over
		{99.94, "99.9"},
		{49.74, "49.7"},
		{15.1, "15.1"},
		{7.523, "7.52"},
		{1, "1.00"},
		{0.5699, "0.570"},
		{0.01234, "0.0123"},
		{0, "0"},
		{-1234, "-1,234"},
		{-15.1, "-15.1"},
	}
	for _, tt := range tests {
		if got := formatValue(&tt.in); got != tt.want {
			t.Errorf("formatValue(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := formatValue(nil); got != "—" {
		t.Errorf("formatValue(nil) = %q, want a dash", got)
	}
}

func TestFormatRatio(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.4252, "0.43"},
		{1.5656, "1.57"},
		{5.06, "5.06"},
		{51.3, "51.30"},
		{0.1, "0.10"},
		{0.0567, "0.057"},
		{0.0057, "0.0057"},
	}
	for _, tt := range tests {
		if got := formatRatio(tt.in); got != tt.want {
			t.Errorf("formatRatio(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGemmLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NN/32x10000x400", "NN 32×10000×400"},
		{"NT/16x25x78400/avx2", "NT 16×25×78400 avx2"},
		{"xNN/1x2x3x", "xNN 1x2x3x"},
	}
	for _, tt := range tests {
		if got := gemmLabel(tt.in); got != tt.want {
			t.Errorf("gemmLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	gemm := []gemmShape{{Name: "NN/32x10000x400", Layout: "NN", M: 32, N: 10000, K: 400}}
	tests := []struct {
		name string
		r    rounds
		gemm []gemmShape
		wasm bool
		want string
	}{
		{
			name: "all sides, three rounds",
			r: rounds{
				tegakiNative: {
					{"train/MLP50": 41741, "predict/MLP50": 15.1, "train/Tegaki": 628, "gemm/NN/32x10000x400": 22},
					{"train/MLP50": 40000, "predict/MLP50": 16, "train/Tegaki": 600, "gemm/NN/32x10000x400": 21},
					{"train/MLP50": 42000, "predict/MLP50": 14, "train/Tegaki": 700, "gemm/NN/32x10000x400": 23},
				},
				pytorch: {
					{"train/MLP50": 98176, "predict/MLP50": 35.2, "gemm/NN/32x10000x400": 82},
					{"train/MLP50": 90000, "predict/MLP50": 30, "gemm/NN/32x10000x400": 80},
					{"train/MLP50": 99000, "predict/MLP50": 40, "gemm/NN/32x10000x400": 84},
				},
				tegakiWasm: {{"predict/MLP50": 49.7}, {"predict/MLP50": 40}, {"predict/MLP50": 60}},
				ortWeb:     {{"predict/MLP50": 55.4}, {"predict/MLP50": 50}, {"predict/MLP50": 56}},
			},
			gemm: gemm,
			wasm: true,
			want: `| figure | tegaki | peer | tegaki/peer |
| --- | --- | --- | --- |
| training samples/s, MLP50 | 41,741 | PyTorch 98,176 | 0.43 |
| batch-1 µs native, MLP50 | 15.1 | PyTorch 35.2 | 0.43 |
| batch-1 µs wasm in Node, MLP50 | 49.7 | ORT-web 55.4 | 0.90 |
| training samples/s, tegaki's default model | 628 | — | — |
| GEMM GFLOP/s, NN 32×10000×400 | 22.0 | torch.mm 82.0 | 0.27 |
`,
		},
		{
			name: "without wasm, one side missing a figure",
			r: rounds{
				tegakiNative: {{"train/LeNet32": 730, "predict/LeNet32": 659}},
				pytorch:      {{"train/LeNet32": 3972, "predict/SimpleConvNet": 473}},
				tegakiWasm:   {{"predict/LeNet32": 1795}},
			},
			want: `| figure | tegaki | peer | tegaki/peer |
| --- | --- | --- | --- |
| training samples/s, LeNet32 | 730 | PyTorch 3,972 | 0.18 |
| batch-1 µs native, SimpleConvNet | — | PyTorch 473 | — |
| batch-1 µs native, LeNet32 | 659 | PyTorch — | — |
`,
		},
		{
			name: "wasm rows with no ORT-web figures",
			r:    rounds{tegakiWasm: {{"predict/LeNet32": 1795, "predict/Tegaki": 900}}},
			wasm: true,
			want: `| figure | tegaki | peer | tegaki/peer |
| --- | --- | --- | --- |
| batch-1 µs wasm in Node, LeNet32 | 1,795 | ORT-web — | — |
| batch-1 µs wasm in Node, tegaki's default model | 900 | — | — |
`,
		},
		{
			name: "GEMM named but measured by neither side",
			r:    rounds{},
			gemm: gemm,
			want: "| figure | tegaki | peer | tegaki/peer |\n| --- | --- | --- | --- |\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeTable(&b, buildRows(tt.r, tt.gemm, tt.wasm)); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("table:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestRowRatio(t *testing.T) {
	two, four, zero := 2.0, 4.0, 0.0
	tests := []struct {
		r    row
		want float64
		ok   bool
	}{
		{row{Tegaki: &two, Value: &four}, 0.5, true},
		{row{Tegaki: &two}, 0, false},
		{row{Value: &four}, 0, false},
		{row{Tegaki: &two, Value: &zero}, 0, false},
	}
	for _, tt := range tests {
		if got, ok := tt.r.ratio(); got != tt.want || ok != tt.ok {
			t.Errorf("ratio of %v / %v = %v, %v; want %v, %v", tt.r.Tegaki, tt.r.Value, got, ok, tt.want, tt.ok)
		}
	}
}
