package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"sort"
	"strings"

	"github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
)

//go:embed apache-2.0.txt
var apacheLicense []byte

// spriteNames are the 32 animal faces of the sprite set, by emoji short name, in order.
var spriteNames = strings.Fields(`monkey_face dog wolf fox_face raccoon cat lion_face tiger horse
	moose donkey unicorn_face zebra_face cow pig giraffe_face mouse hamster rabbit bear polar_bear
	koala panda_face frog dragon_face baby_chick penguin owl chicken hatching_chick octopus turtle`)

// faceSubcategory is the emoji.json subcategory of the person heads used as faces.
const faceSubcategory = "person"

// skinTones maps the skin-tone modifiers to emoji-datasource's names for them.
var skinTones = []struct{ code, name string }{
	{"1F3FB", "skin-tone-2"}, {"1F3FC", "skin-tone-3"}, {"1F3FD", "skin-tone-4"},
	{"1F3FE", "skin-tone-5"}, {"1F3FF", "skin-tone-6"},
}

const emojiImageDir = "package/img/google/64/"

// emojiEntry is the part of an emoji.json record the conversion uses.
type emojiEntry struct {
	ShortName      string   `json:"short_name"`
	ShortNames     []string `json:"short_names"`
	Image          string   `json:"image"`
	Subcategory    string   `json:"subcategory"`
	SortOrder      int      `json:"sort_order"`
	HasImgGoogle   bool     `json:"has_img_google"`
	SkinVariations map[string]struct {
		Image        string `json:"image"`
		HasImgGoogle bool   `json:"has_img_google"`
	} `json:"skin_variations"`
}

// converted is one output image and where it came from.
type converted struct {
	Name, Class, Source string
	SourceSHA           string // sha256 of the source file
}

// emojiImage decodes package/img/google/64/<file> as gray on white.
func emojiImage(files map[string][]byte, file string) (*image.Gray, error) {
	raw, ok := files[emojiImageDir+file]
	if !ok {
		return nil, fmt.Errorf("%s%s is missing from the tarball", emojiImageDir, file)
	}
	img, err := datasets.ReadGray(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s%s: %w", emojiImageDir, file, err)
	}
	if b := img.Bounds(); b.Dx() != datasets.SpriteSize || b.Dy() != datasets.SpriteSize {
		return nil, fmt.Errorf("%s%s is %d×%d, want 64×64", emojiImageDir, file, b.Dx(), b.Dy())
	}
	return img, nil
}

// halve averages 2×2 blocks (rounding half up): 64×64 → 32×32.
func halve(img *image.Gray) *image.Gray {
	w, h := img.Bounds().Dx()/2, img.Bounds().Dy()/2
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			s := int(img.GrayAt(2*x, 2*y).Y) + int(img.GrayAt(2*x+1, 2*y).Y) +
				int(img.GrayAt(2*x, 2*y+1).Y) + int(img.GrayAt(2*x+1, 2*y+1).Y)
			out.Pix[y*out.Stride+x] = uint8((s + 2) / 4)
		}
	}
	return out
}

// encodePNG writes an 8-bit gray PNG at the best compression; Go's encoder writes no time or
// other varying chunk, so the bytes depend only on the pixels.
func encodePNG(img *image.Gray) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// makeEmoji converts the emoji tarball into data/sprites and data/faces.
func makeEmoji(tarball string, out *outputs) error {
	files, err := readTarball(emojiSource, tarball, func(p string) bool {
		return p == "package/emoji.json" || p == "package/LICENSE" || strings.HasPrefix(p, emojiImageDir)
	})
	if err != nil {
		return err
	}
	var entries []emojiEntry
	if err := json.Unmarshal(files["package/emoji.json"], &entries); err != nil {
		return fmt.Errorf("package/emoji.json: %w", err)
	}
	byName := map[string]emojiEntry{}
	for _, e := range entries {
		for _, n := range e.ShortNames {
			byName[n] = e
		}
	}

	// Sprites: the listed animal faces at 64×64.
	var sprites []converted
	for _, n := range spriteNames {
		e, ok := byName[n]
		if !ok || !e.HasImgGoogle {
			return fmt.Errorf("sprite %q: no Google image in emoji.json", n)
		}
		img, err := emojiImage(files, e.Image)
		if err != nil {
			return err
		}
		b, err := encodePNG(img)
		if err != nil {
			return err
		}
		out.add("sprites/"+n+".png", b)
		src := emojiImageDir + e.Image
		sprites = append(sprites, converted{Name: n, Class: n, Source: src, SourceSHA: sha256Hex(files[src])})
	}
	out.add("sprites/"+datasets.IndexFile, indexText(sprites, false))
	out.add("sprites/LICENSE", apacheLicense)
	out.add("sprites/README.md", spritesReadme(out, sprites))

	// Faces: every head of the person subcategory, in emoji order, default colour then the
	// five skin tones, halved to 32×32.
	var heads []emojiEntry
	for _, e := range entries {
		if e.Subcategory == faceSubcategory && e.HasImgGoogle {
			heads = append(heads, e)
		}
	}
	sort.SliceStable(heads, func(i, j int) bool { return heads[i].SortOrder < heads[j].SortOrder })
	var faces []converted
	for _, e := range heads {
		variants := []converted{{Name: e.ShortName, Class: e.ShortName, Source: e.Image}}
		for _, t := range skinTones {
			v, ok := e.SkinVariations[t.code]
			if !ok || !v.HasImgGoogle {
				continue
			}
			variants = append(variants, converted{Name: e.ShortName + "_" + t.name, Class: e.ShortName, Source: v.Image})
		}
		for _, c := range variants {
			img, err := emojiImage(files, c.Source)
			if err != nil {
				return err
			}
			b, err := encodePNG(halve(img))
			if err != nil {
				return err
			}
			out.add("faces/"+c.Name+".png", b)
			c.Source = emojiImageDir + c.Source
			c.SourceSHA = sha256Hex(files[c.Source])
			faces = append(faces, c)
		}
	}
	out.add("faces/"+datasets.IndexFile, indexText(faces, true))
	out.add("faces/LICENSE", apacheLicense)
	out.add("faces/README.md", facesReadme(out, faces, len(heads)))
	return nil
}

// indexText lists the images in order, one per line: the name, and the class after a tab when
// withClass.
func indexText(images []converted, withClass bool) []byte {
	var b strings.Builder
	for _, c := range images {
		b.WriteString(c.Name)
		if withClass {
			b.WriteString("\t" + c.Class)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}
