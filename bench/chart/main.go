// Command chart draws bench/RESULTS.png from the figures the benchmark
// scripts collect: plan time against resource count as a line (log-log),
// and berth/peer ratios as bars against their targets.
//
//	go run ./bench/chart -plan plan.csv -ratios ratios.csv -out results.png
//
// plan.csv has "resources,ms" lines; ratios.csv "label,ratio,target".
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{20, 20, 20, 255}
	grey  = color.RGBA{200, 200, 200, 255}
	blue  = color.RGBA{40, 100, 200, 255}
	green = color.RGBA{60, 160, 80, 255}
	red   = color.RGBA{200, 60, 60, 255}
)

func main() {
	planPath := flag.String("plan", "", "CSV of resources,ms")
	ratioPath := flag.String("ratios", "", "CSV of label,ratio,target")
	out := flag.String("out", "results.png", "PNG to write")
	flag.Parse()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 520))
	fill(img, img.Bounds(), white)
	if rows, err := readCSV(*planPath); err == nil && len(rows) > 0 {
		drawPlan(img, image.Rect(40, 40, 560, 480), rows)
	}
	if rows, err := readCSV(*ratioPath); err == nil && len(rows) > 0 {
		drawRatios(img, image.Rect(640, 40, 1160, 480), rows)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func readCSV(path string) ([][]string, error) {
	if path == "" {
		return nil, os.ErrNotExist
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

// drawPlan plots ms against resources on log-log axes, with the linear
// reference through the first point.
func drawPlan(img *image.RGBA, r image.Rectangle, rows [][]string) {
	text(img, r.Min.X, r.Min.Y-15, "plan time vs resources (log-log; grey: linear)", black)
	var xs, ys []float64
	for _, row := range rows {
		x, err1 := strconv.ParseFloat(row[0], 64)
		y, err2 := strconv.ParseFloat(row[1], 64)
		if err1 == nil && err2 == nil && x > 0 && y > 0 {
			xs, ys = append(xs, math.Log10(x)), append(ys, math.Log10(y))
		}
	}
	if len(xs) == 0 {
		return
	}
	x0, x1 := xs[0], xs[len(xs)-1]+0.01
	y0, y1 := math.Min(ys[0], ys[len(ys)-1])-0.3, math.Max(ys[0]+(x1-x0), ys[len(ys)-1])+0.3
	px := func(x float64) int { return r.Min.X + int((x-x0)/(x1-x0)*float64(r.Dx())) }
	py := func(y float64) int { return r.Max.Y - int((y-y0)/(y1-y0)*float64(r.Dy())) }
	axes(img, r)
	line(img, px(xs[0]), py(ys[0]), px(x1), py(ys[0]+(x1-xs[0])), grey)
	for i := range xs {
		if i > 0 {
			line(img, px(xs[i-1]), py(ys[i-1]), px(xs[i]), py(ys[i]), blue)
		}
		fill(img, image.Rect(px(xs[i])-3, py(ys[i])-3, px(xs[i])+4, py(ys[i])+4), blue)
		label := fmt.Sprintf("%s: %s ms", rows[i][0], rows[i][1])
		lx := px(xs[i]) + 6
		if lx+7*len(label) > r.Max.X+60 {
			lx = px(xs[i]) - 6 - 7*len(label)
		}
		text(img, lx, py(ys[i])-6, label, black)
	}
}

// drawRatios draws one bar per workload (ratio berth/peer) with its target.
func drawRatios(img *image.RGBA, r image.Rectangle, rows [][]string) {
	text(img, r.Min.X, r.Min.Y-15, "berth / peer, or / bound (bar); target (tick); lower is better", black)
	axes(img, r)
	maxv := 1.0
	for _, row := range rows {
		if v, err := strconv.ParseFloat(row[1], 64); err == nil && v > maxv {
			maxv = v
		}
	}
	h := min(r.Dy()/len(rows), 44)
	for i, row := range rows {
		v, _ := strconv.ParseFloat(row[1], 64)
		y := r.Min.Y + i*h + 4
		w := int(v / maxv * float64(r.Dx()-10))
		c := green
		if len(row) > 2 {
			if t, err := strconv.ParseFloat(row[2], 64); err == nil {
				tx := r.Min.X + int(t/maxv*float64(r.Dx()-10))
				fill(img, image.Rect(tx-1, y-2, tx+2, y+h-4), black)
				if v > t {
					c = red
				}
			}
		}
		fill(img, image.Rect(r.Min.X+1, y, r.Min.X+1+w, y+h-10), c)
		text(img, r.Min.X+6, y+h/2, fmt.Sprintf("%s: %.2f", row[0], v), black)
	}
}

func axes(img *image.RGBA, r image.Rectangle) {
	line(img, r.Min.X, r.Max.Y, r.Max.X, r.Max.Y, black)
	line(img, r.Min.X, r.Min.Y, r.Min.X, r.Max.Y, black)
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Set(x, y, c)
		}
	}
}

// line draws with Bresenham's algorithm.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		img.Set(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}
