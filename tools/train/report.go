package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/tegaki/tegaki/tools/internal/atomicfile"
)

// epochStats is one row of the training history.
type epochStats struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	ValLoss   float64 `json:"val_loss"`
	ValAcc    float64 `json:"val_acc"`
	LR        float64 `json:"lr"`
	Seconds   float64 `json:"seconds"`
}

// confusion counts, for each true class (row), the predicted classes.
type confusion [][]int

func newConfusion(classes int) confusion {
	c := make(confusion, classes)
	for i := range c {
		c[i] = make([]int, classes)
	}
	return c
}

// write prints the matrix with per-class recall.
func (c confusion) write(w io.Writer) {
	fmt.Fprintf(w, "confusion matrix (rows: true digit, columns: predicted)\n     ")
	for j := range c {
		fmt.Fprintf(w, "%6d", j)
	}
	fmt.Fprintf(w, "  recall\n")
	for i, row := range c {
		total := 0
		fmt.Fprintf(w, "%4d ", i)
		for _, v := range row {
			fmt.Fprintf(w, "%6d", v)
			total += v
		}
		fmt.Fprintf(w, "  %.2f%%\n", 100*float64(row[i])/float64(max(total, 1)))
	}
}

// plotCurves draws the loss and validation accuracy per epoch side by side
// into a PNG at path, written atomically. augmented says whether the
// training images were augmented, which explains a training loss above
// the validation loss.
func plotCurves(path string, history []epochStats, augmented bool) error {
	if len(history) == 0 {
		return nil
	}
	loss := plot.New()
	loss.Title.Text = lossTitle(augmented)
	loss.X.Label.Text = "epoch"
	acc := plot.New()
	acc.Title.Text = "Validation accuracy (%)"
	acc.X.Label.Text = "epoch"
	train, val, accuracy := make(plotter.XYs, len(history)), make(plotter.XYs, len(history)), make(plotter.XYs, len(history))
	for i, h := range history {
		x := float64(h.Epoch)
		train[i] = plotter.XY{X: x, Y: h.TrainLoss}
		val[i] = plotter.XY{X: x, Y: h.ValLoss}
		accuracy[i] = plotter.XY{X: x, Y: 100 * h.ValAcc}
	}
	for _, l := range []struct {
		p    *plot.Plot
		name string
		xys  plotter.XYs
		dash bool
	}{{loss, "train", train, false}, {loss, "validation", val, true}, {acc, "validation", accuracy, false}} {
		line, points, err := plotter.NewLinePoints(l.xys)
		if err != nil {
			return fmt.Errorf("plot: %w", err)
		}
		if l.dash {
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
			points.Shape = draw.BoxGlyph{}
		}
		l.p.Add(line, points)
		l.p.Legend.Add(l.name, line, points)
	}
	loss.Legend.Top = true
	loss.Add(plotter.NewGrid())
	acc.Add(plotter.NewGrid())

	img := vgimg.New(24*vg.Centimeter, 9*vg.Centimeter)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Centimeter, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	plots := [][]*plot.Plot{{loss, acc}}
	canvases := plot.Align(plots, tiles, dc)
	loss.Draw(canvases[0][0])
	acc.Draw(canvases[0][1])
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}

// lossTitle is the title of the loss plot.
func lossTitle(augmented bool) string {
	if augmented {
		return "Loss (training images are augmented)"
	}
	return "Loss"
}

// percent formats a fraction as a percentage with two decimals.
func percent(f float64) string {
	return strings.TrimSpace(fmt.Sprintf("%6.2f%%", 100*f))
}
