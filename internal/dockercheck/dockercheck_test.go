package dockercheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t *testing.T, path ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", ".."}, path...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDockerfile checks the repository's docker/Dockerfile.
func TestDockerfile(t *testing.T) {
	bad := Check(read(t, "docker", "Dockerfile"), read(t, "docker", "Dockerfile.dockerignore"), read(t, "go.mod"))
	for _, b := range bad {
		t.Error(b)
	}
}

// good is a minimal Dockerfile that follows every rule; each case below breaks one.
const good = `ARG BASE_IMAGE=quay.io/jupyter/base-notebook:2025-11-10
FROM ${BASE_IMAGE} AS go
ARG GO_VERSION=1.26.8
ARG GO_SHA256_AMD64=d0f743b33e8d8945e6b1f432edd15785c70507121d6e2a723b21285eddf8b57b
RUN wget -q -O /tmp/go.tgz "https://go.dev/dl/go${GO_VERSION}.linux-amd64.tar.gz" && \
    echo "${GO_SHA256_AMD64}  /tmp/go.tgz" | sha256sum -c -
FROM ${BASE_IMAGE}
USER root
COPY --from=go /usr/local/go /usr/local/go
RUN HOME=/root bash /opt/hopfield/course/docker/setup-kernel.sh
ENV GOPROXY=off \
    GOTOOLCHAIN=local
COPY --chown=${NB_UID}:${NB_GID} notebooks/*.ipynb /home/${NB_USER}/work/
USER ${NB_UID}
`

const ignore = ".git\nnotebooks/source/\n"
const gomod = "module example.com/m\n\ngo 1.26.8\n"

func TestCheck(t *testing.T) {
	if bad := Check(good, ignore, gomod); len(bad) != 0 {
		t.Fatalf("the good Dockerfile breaks rules: %q", bad)
	}
	for _, tc := range []struct {
		name       string
		old, new   string // edit of good
		dockerfile string // or a whole file
		ignore     string
		want       string // part of the message
	}{
		{name: "latest tag", old: "base-notebook:2025-11-10", new: "base-notebook:latest", want: "pinned date tag"},
		{name: "no tag", old: "base-notebook:2025-11-10", new: "base-notebook", want: "pinned date tag"},
		{name: "other base", old: "FROM ${BASE_IMAGE}\nUSER root", new: "FROM ubuntu:24.04\nUSER root", want: `base image "ubuntu:24.04"`},
		{name: "go install latest", old: "USER root\n", new: "USER root\nRUN HOME=/root go install golang.org/x/tools/gopls@latest\n", want: "@latest"},
		{name: "old Go", old: "GO_VERSION=1.26.8", new: "GO_VERSION=1.25.1", want: "older than go.mod"},
		{name: "no Go pin", old: "ARG GO_VERSION=1.26.8\n", new: "", want: "GO_VERSION"},
		{name: "no checksum", old: " | sha256sum -c -", new: "", want: "not verified"},
		{name: "no set-up script", old: "RUN HOME=/root bash /opt/hopfield/course/docker/setup-kernel.sh\n", new: "", want: "setup-kernel.sh"},
		{name: "second copy of the steps", old: "USER root\n", new: "USER root\nRUN HOME=/root gonb --install\n", want: "repeats a step"},
		{name: "CMD", old: "USER ${NB_UID}\n", new: "USER ${NB_UID}\nCMD [\"bash\"]\n", want: "start scripts"},
		{name: "ENTRYPOINT", old: "USER ${NB_UID}\n", new: "USER ${NB_UID}\nENTRYPOINT [\"tini\"]\n", want: "start scripts"},
		{name: "final user root", old: "USER ${NB_UID}\n", new: "", want: "final USER"},
		{name: "run after user", old: "USER ${NB_UID}\n", new: "USER ${NB_UID}\nRUN echo hi\n", want: "after the final USER"},
		{name: "run writes home", old: "USER root\n", new: "USER root\nRUN mkdir -p /home/jovyan/.cache\n", want: "writes under /home"},
		{name: "copy elsewhere in home", old: "/home/${NB_USER}/work/", new: "/home/${NB_USER}/", want: "only the student notebooks"},
		{name: "copy without chown", old: "COPY --chown=${NB_UID}:${NB_GID} notebooks/", new: "COPY notebooks/", want: "--chown"},
		{name: "repository in the image", old: "USER root\n", new: "USER root\nCOPY . /opt/hopfield/course\n", want: "copies . from the build context"},
		{name: "notebook folder in the image", old: "notebooks/*.ipynb", new: "notebooks/", want: "copies notebooks/ from the build context"},
		{name: "go as root with jovyan's HOME", old: "RUN HOME=/root bash", new: "RUN bash", want: "HOME=/root"},
		{name: "online", old: "GOPROXY=off", new: "GOPROXY=https://proxy.golang.org", want: "GOPROXY"},
		{name: "toolchain", old: "GOTOOLCHAIN=local", new: "GOTOOLCHAIN=auto", want: "GOTOOLCHAIN"},
		{name: "mod flag", old: "GOTOOLCHAIN=local", new: "GOTOOLCHAIN=local GOFLAGS=-mod=mod", want: "-mod"},
		{name: "home moved", old: "GOTOOLCHAIN=local", new: "GOTOOLCHAIN=local HOME=/root", want: "ENV HOME"},
		{name: "git in context", ignore: "notebooks/source\n", want: "leave out .git"},
		{name: "solutions in context", ignore: ".git\n", want: "notebooks/source"},
		{name: "empty", dockerfile: "# nothing\n", want: "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			df := tc.dockerfile
			if df == "" {
				df = good
				if tc.old != "" {
					if !strings.Contains(df, tc.old) {
						t.Fatalf("test edit %q not found", tc.old)
					}
					df = strings.Replace(df, tc.old, tc.new, 1)
				}
			}
			ig := tc.ignore
			if ig == "" {
				ig = ignore
			}
			bad := Check(df, ig, gomod)
			if !strings.Contains(strings.Join(bad, "\n"), tc.want) {
				t.Errorf("Check = %q, want a message containing %q", bad, tc.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	got := Parse("# c\nFROM a AS b\n\nRUN x && \\\n  y\n# mid\nUSER 1\n")
	want := []Instruction{{2, "FROM", "a AS b"}, {4, "RUN", "x &&  y"}, {7, "USER", "1"}}
	if len(got) != len(want) {
		t.Fatalf("Parse = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("instruction %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
