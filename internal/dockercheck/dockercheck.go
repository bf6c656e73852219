// Package dockercheck checks docker/Dockerfile against the image's rules, so CI enforces them
// where no Docker engine runs:
//
//   - every base image is pinned: quay.io/jupyter/base-notebook at a date tag, never "latest";
//     nothing is fetched "@latest";
//   - Go is pinned (GO_VERSION, at least go.mod's go version) and its sha256 checked (sha256sum -c);
//   - the kernel set-up is docker/setup-kernel.sh, the script CI runs (no second copy of its steps);
//   - the docker-stacks start scripts stay in charge: no CMD or ENTRYPOINT, and the final USER is
//     ${NB_UID};
//   - nothing is written under /home/jovyan (a hub mounts a volume there) except the student
//     notebooks copied into the work folder, owned by ${NB_UID}; RUN steps that use Go or the
//     set-up script set HOME=/root, so what they write lands outside the user's home;
//   - the image works offline: GOPROXY=off and GOTOOLCHAIN=local, and GOFLAGS has no -mod= flag
//     that a go.work would reject;
//   - the build context leaves out .git and the instructor notebooks (notebooks/source), and the
//     final stage copies nothing from it but the student notebooks (notebooks/*.ipynb): the
//     repository's grading code and test data hold solutions, so the image gets what a build
//     stage installed, never the repository.
package dockercheck

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Instruction is one Dockerfile instruction, continuation lines joined.
type Instruction struct {
	Line int    // 1-based line where it starts
	Cmd  string // upper case: FROM, RUN, COPY, …
	Args string
}

// Parse splits a Dockerfile into instructions (comments and blank lines dropped, lines ending in a
// backslash joined).
func Parse(src string) []Instruction {
	var out []Instruction
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(cont)
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		text := cur.String()
		cur.Reset()
		cmd, args, _ := strings.Cut(text, " ")
		out = append(out, Instruction{Line: start, Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)})
	}
	return out
}

var (
	dateTag    = regexp.MustCompile(`^quay\.io/jupyter/base-notebook:\d{4}-\d{2}-\d{2}$`)
	sha256Hex  = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	argDefault = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(\S+)$`)
	goVersion  = regexp.MustCompile(`(?m)^go (\d+(?:\.\d+)*)\s*$`)
	varRef     = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)
	goCommand  = regexp.MustCompile(`(^|[\s;&|(])go\s`)
	workFolder = regexp.MustCompile(`^/home/(\$\{NB_USER\}|\$NB_USER|jovyan)/work/?$`)
	// studentNotebooks: what the final stage may copy from the build context.
	studentNotebooks = regexp.MustCompile(`^notebooks/(\*|[^/*]+)\.ipynb$`)
)

// Check returns every rule the Dockerfile (with its .dockerignore and the module's go.mod)
// breaks, one message each; none means it follows them all.
func Check(dockerfile, dockerignore, gomod string) []string {
	var bad []string
	report := func(in Instruction, format string, args ...any) {
		bad = append(bad, fmt.Sprintf("line %d (%s): %s", in.Line, in.Cmd, fmt.Sprintf(format, args...)))
	}
	ins := Parse(dockerfile)
	if len(ins) == 0 {
		return []string{"the Dockerfile is empty"}
	}

	args := map[string]string{} // ARG defaults
	stages := map[string]bool{} // stage names seen so far
	finalFrom := -1
	var goVer string
	sawChecksum, sawSHA, sawSetup := false, false, false
	for i, in := range ins {
		if strings.Contains(in.Args, "@latest") {
			report(in, "fetches @latest: pin the version")
		}
		switch in.Cmd {
		case "ARG":
			if m := argDefault.FindStringSubmatch(in.Args); m != nil {
				args[m[1]] = m[2]
				if m[1] == "GO_VERSION" {
					goVer = m[2]
				}
			}
			if sha256Hex.MatchString(in.Args) {
				sawSHA = true
			}
		case "FROM":
			finalFrom = i
			f := strings.Fields(in.Args)
			var image string
			for _, w := range f {
				if !strings.HasPrefix(w, "--") {
					image = w
					break
				}
			}
			if m := varRef.FindStringSubmatch(image); m != nil {
				image = args[m[1]]
			}
			switch {
			case stages[image]:
			case image == "":
				report(in, "base image %q has no pinned default", in.Args)
			case !dateTag.MatchString(image):
				report(in, "base image %q: want quay.io/jupyter/base-notebook:YYYY-MM-DD (a pinned date tag, never latest)", image)
			}
			if len(f) >= 3 && strings.EqualFold(f[len(f)-2], "AS") {
				stages[f[len(f)-1]] = true
			}
		case "RUN":
			if strings.Contains(in.Args, "sha256sum -c") {
				sawChecksum = true
			}
			if strings.Contains(in.Args, "setup-kernel.sh") {
				sawSetup = true
			}
			for _, dup := range []string{"gonb --install", "gonb -install", "jupyter-nbconvert jupyter-client", "github.com/janpfeifer/gonb golang.org/x/tools"} {
				if strings.Contains(in.Args, dup) {
					report(in, "repeats a step of docker/setup-kernel.sh (%q): call the script instead", dup)
				}
			}
		case "CMD", "ENTRYPOINT":
			report(in, "%s replaces the docker-stacks start scripts (JupyterHub needs them): remove it", in.Cmd)
		}
	}
	if goVer == "" {
		bad = append(bad, "no ARG GO_VERSION=…: pin the Go version")
	} else if m := goVersion.FindStringSubmatch(gomod); m != nil && versionLess(goVer, m[1]) {
		bad = append(bad, fmt.Sprintf("GO_VERSION %s is older than go.mod's go %s", goVer, m[1]))
	}
	if !sawSHA || !sawChecksum {
		bad = append(bad, "Go's download is not verified: want its sha256 in an ARG and `sha256sum -c` in a RUN")
	}
	if !sawSetup {
		bad = append(bad, "no RUN calls docker/setup-kernel.sh: the image must use the script CI runs")
	}

	// The final stage.
	final := ins[finalFrom+1:]
	lastUser, lastUserIdx, lastRun := "", -1, -1
	env := map[string]string{}
	for i, in := range final {
		switch in.Cmd {
		case "USER":
			lastUser, lastUserIdx = in.Args, i
		case "RUN":
			lastRun = i
			if strings.Contains(in.Args, "/home/") {
				report(in, "writes under /home (a hub's volume hides it): keep everything in /opt or /usr/local")
			}
			usesGo := strings.Contains(in.Args, "setup-kernel.sh") || goCommand.MatchString(in.Args)
			if usesGo && lastUser != "${NB_UID}" && !strings.Contains(in.Args, "HOME=/root") {
				report(in, "runs Go or the set-up as root with HOME=/home/jovyan: prefix the commands with HOME=/root")
			}
		case "COPY", "ADD":
			f := strings.Fields(in.Args)
			dst := f[len(f)-1]
			if !strings.Contains(in.Args, "--from=") {
				for _, src := range f[:len(f)-1] {
					if !strings.HasPrefix(src, "--") && !studentNotebooks.MatchString(src) {
						report(in, "copies %s from the build context into the image: only the student notebooks (notebooks/*.ipynb) may come from it (the repository holds the grading code and test data with solutions); copy what a build stage installed instead", src)
					}
				}
			}
			if strings.HasPrefix(dst, "/home/") {
				if !workFolder.MatchString(dst) {
					report(in, "writes %s: only the student notebooks may go under /home, into the work folder", dst)
				}
				if !strings.Contains(in.Args, "--chown=${NB_UID}") {
					report(in, "copies into the home folder without --chown=${NB_UID}:${NB_GID}")
				}
			}
		case "ENV":
			for k, v := range parseEnv(in.Args) {
				env[k] = v
			}
		}
	}
	if lastUser != "${NB_UID}" && lastUser != "$NB_UID" {
		bad = append(bad, fmt.Sprintf("the final USER is %q: want ${NB_UID} (JupyterHub starts the image as the notebook user)", lastUser))
	} else if lastRun > lastUserIdx {
		bad = append(bad, "a RUN comes after the final USER ${NB_UID}: switch users once, at the end")
	}
	if env["GOPROXY"] != "off" {
		bad = append(bad, fmt.Sprintf("GOPROXY is %q in the final image: want off (the image works offline)", env["GOPROXY"]))
	}
	if env["GOTOOLCHAIN"] != "local" {
		bad = append(bad, fmt.Sprintf("GOTOOLCHAIN is %q in the final image: want local", env["GOTOOLCHAIN"]))
	}
	if strings.Contains(env["GOFLAGS"], "-mod=") {
		bad = append(bad, fmt.Sprintf("GOFLAGS %q sets -mod, which a go.work rejects or overrides", env["GOFLAGS"]))
	}
	if h, ok := env["HOME"]; ok && h != "/home/${NB_USER}" && h != "/home/jovyan" {
		bad = append(bad, fmt.Sprintf("ENV HOME=%s in the final image: leave HOME to the base image", h))
	}

	ignored := map[string]bool{}
	for _, l := range strings.Split(dockerignore, "\n") {
		ignored[strings.TrimSuffix(strings.TrimSpace(l), "/")] = true
	}
	for _, want := range []string{".git", "notebooks/source"} {
		if !ignored[want] {
			bad = append(bad, fmt.Sprintf("the .dockerignore does not leave out %s", want))
		}
	}
	return bad
}

// parseEnv reads `ENV K=V K2="V 2"` (and the old `ENV K V`).
func parseEnv(s string) map[string]string {
	out := map[string]string{}
	if !strings.Contains(strings.SplitN(s, " ", 2)[0], "=") {
		k, v, _ := strings.Cut(s, " ")
		out[k] = strings.TrimSpace(v)
		return out
	}
	for _, f := range strings.Fields(s) {
		if k, v, ok := strings.Cut(f, "="); ok {
			out[k] = strings.Trim(v, `"`)
		}
	}
	return out
}

// versionLess compares dotted version numbers ("1.26.8" < "1.27").
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}
