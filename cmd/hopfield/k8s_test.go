package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// k8s object fields the tests read.
type (
	k8sObject struct {
		Kind     string `yaml:"kind"`
		Metadata struct {
			Name   string            `yaml:"name"`
			Labels map[string]string `yaml:"labels"`
		} `yaml:"metadata"`
		Spec k8sSpec `yaml:"spec"`
	}
	k8sSpec struct {
		// Job
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec k8sPodSpec `yaml:"spec"`
		} `yaml:"template"`
		// NetworkPolicy
		PodSelector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"podSelector"`
		PolicyTypes []string `yaml:"policyTypes"`
		Ingress     []any    `yaml:"ingress"`
		Egress      []any    `yaml:"egress"`
		// PersistentVolumeClaim
		AccessModes []string `yaml:"accessModes"`
		k8sPodSpec  `yaml:",inline"`
	}
	k8sPodSpec struct {
		AutomountServiceAccountToken *bool `yaml:"automountServiceAccountToken"`
		SecurityContext              struct {
			RunAsNonRoot *bool `yaml:"runAsNonRoot"`
			RunAsUser    int   `yaml:"runAsUser"`
		} `yaml:"securityContext"`
		Containers []struct {
			Image   string   `yaml:"image"`
			Command []string `yaml:"command"`
			Args    []string `yaml:"args"`
			Env     []struct {
				Name      string `yaml:"name"`
				ValueFrom struct {
					FieldRef struct {
						FieldPath string `yaml:"fieldPath"`
					} `yaml:"fieldRef"`
				} `yaml:"valueFrom"`
			} `yaml:"env"`
			Resources struct {
				Limits   map[string]string `yaml:"limits"`
				Requests map[string]string `yaml:"requests"`
			} `yaml:"resources"`
			SecurityContext struct {
				AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
			} `yaml:"securityContext"`
			VolumeMounts []struct {
				Name      string `yaml:"name"`
				SubPath   string `yaml:"subPath"`
				MountPath string `yaml:"mountPath"`
				ReadOnly  bool   `yaml:"readOnly"`
			} `yaml:"volumeMounts"`
		} `yaml:"containers"`
	}
)

func readK8s(t *testing.T, name string) []k8sObject {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "k8s", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []k8sObject
	dec := yaml.NewDecoder(f)
	for {
		var o k8sObject
		if err := dec.Decode(&o); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, o)
	}
}

func findKind(t *testing.T, objs []k8sObject, kind string) k8sObject {
	t.Helper()
	for _, o := range objs {
		if o.Kind == kind {
			return o
		}
	}
	t.Fatalf("no %s", kind)
	return k8sObject{}
}

// quantity reads a Kubernetes memory quantity (5Gi, 512Mi, 1073741824).
func quantity(t *testing.T, s string) int64 {
	t.Helper()
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("quantity %q: %v", s, err)
			}
			return int64(n * float64(u.mult))
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("quantity %q: %v", s, err)
	}
	return n
}

// TestK8sGradingJob checks k8s/grading.yaml against hopfield grade itself: an Indexed Job whose
// pod I grades shard I/N for N = completions = parallelism, each into its own folder, with the
// grade command's default limits, the instructor sources and the submissions mounted read-only,
// memory for the workers' notebooks and what --memory does not count, no network, no root.
func TestK8sGradingJob(t *testing.T) {
	objs := readK8s(t, "grading.yaml")
	job := findKind(t, objs, "Job")
	policy := findKind(t, objs, "NetworkPolicy")
	if job.Spec.CompletionMode != "Indexed" || job.Spec.Completions < 2 || job.Spec.Parallelism != job.Spec.Completions {
		t.Errorf("Job: completionMode %q, completions %d, parallelism %d; want Indexed, N ≥ 2 of each", job.Spec.CompletionMode, job.Spec.Completions, job.Spec.Parallelism)
	}
	pod := job.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if strings.HasSuffix(c.Image, ":latest") || !strings.Contains(c.Image, ":") {
		t.Errorf("image %q: pin a tag", c.Image)
	}
	if !slices.Equal(c.Command, []string{"hopfield"}) || len(c.Args) == 0 || c.Args[0] != "grade" {
		t.Fatalf("command %q %q, want hopfield grade", c.Command, c.Args)
	}
	shardVar := ""
	for _, e := range c.Env {
		if e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
			shardVar = e.Name
		}
	}
	if shardVar == "" {
		t.Fatal("no environment variable holds the pod's completion index")
	}
	// The arguments, read by hopfield grade's own flags.
	fs, got := gradeFlags(io.Discard)
	pos, err := parseInterspersed(fs, c.Args[1:])
	if err != nil || len(pos) != 1 {
		t.Fatalf("hopfield grade %q: %v, positional %q", c.Args[1:], err, pos)
	}
	_, def := gradeFlags(io.Discard)
	if want := "$(" + shardVar + ")/" + strconv.Itoa(job.Spec.Completions); got.shard != want {
		t.Errorf("--shard %q, want %q (the completion index of completions)", got.shard, want)
	}
	if !strings.Contains(got.out, "$("+shardVar+")") {
		t.Errorf("--out %q: each shard needs a folder of its own", got.out)
	}
	if got.cellTimeout != def.cellTimeout || got.timeout != def.timeout || got.memory != def.memory || got.kernel != def.kernel || got.noNamespace {
		t.Errorf("limits --cell-timeout %v --timeout %v --memory %s --kernel %s; want the sandbox's defaults %v, %v, %s, %s",
			got.cellTimeout, got.timeout, got.memory, got.kernel, def.cellTimeout, def.timeout, def.memory, def.kernel)
	}
	// Memory: every worker's notebook at --memory, plus what --memory does not count (gopls, up
	// to 0.5 GiB, and the grader), within the limit; the request equal to it (no overcommit).
	perNotebook, _ := parseBytes(got.memory)
	limit := quantity(t, c.Resources.Limits["memory"])
	if need := int64(got.workers)*perNotebook + 768<<20; limit < need {
		t.Errorf("memory limit %s, want at least %d MiB for %d worker(s) at --memory %s", c.Resources.Limits["memory"], need>>20, got.workers, got.memory)
	}
	if c.Resources.Requests["memory"] != c.Resources.Limits["memory"] {
		t.Errorf("memory request %s, limit %s: ask for what the limit allows", c.Resources.Requests["memory"], c.Resources.Limits["memory"])
	}
	mounts := map[string]bool{} // mount path → read-only
	for _, m := range c.VolumeMounts {
		mounts[m.MountPath] = m.ReadOnly
	}
	for what, path := range map[string]string{"--source": got.source, "the submissions": pos[0]} {
		if ro, ok := mounts[path]; !ok || !ro {
			t.Errorf("%s (%s) is not a read-only mount (mounts: %v)", what, path, mounts)
		}
	}
	outMounted := false
	for path, ro := range mounts {
		if strings.HasPrefix(got.out, path+"/") && !ro {
			outMounted = true
		}
	}
	if !outMounted {
		t.Errorf("--out %s is not inside a writable mount (%v)", got.out, mounts)
	}
	checkPodHardening(t, "the grading Job", pod, job.Spec.Template.Metadata.Labels, policy)
	if len(policy.Spec.Ingress) > 0 || len(policy.Spec.Egress) > 0 || !slices.Contains(policy.Spec.PolicyTypes, "Egress") || !slices.Contains(policy.Spec.PolicyTypes, "Ingress") {
		t.Errorf("NetworkPolicy: types %v, %d ingress and %d egress rules; want both types and no rule", policy.Spec.PolicyTypes, len(policy.Spec.Ingress), len(policy.Spec.Egress))
	}

	// The merge joins exactly the shards' folders, from the same image, into a folder of its own.
	merge := findKind(t, readK8s(t, "merge.yaml"), "Job")
	mc := merge.Spec.Template.Spec.Containers[0]
	script := strings.Join(mc.Command, " ")
	shardGlob := strings.ReplaceAll(got.out, "$("+shardVar+")", "*")
	if !strings.Contains(script, "hopfield grade merge ") || !strings.HasSuffix(script, " "+shardGlob) {
		t.Errorf("merge command %q, want hopfield grade merge OUT %s", script, shardGlob)
	}
	if mc.Image != c.Image {
		t.Errorf("merge image %q, grading image %q", mc.Image, c.Image)
	}
	checkPodHardening(t, "the merge Job", merge.Spec.Template.Spec, merge.Spec.Template.Metadata.Labels, policy)

	// The volume: shared by every pod at once.
	vol := findKind(t, readK8s(t, "volume.yaml"), "PersistentVolumeClaim")
	if !slices.Contains(vol.Spec.AccessModes, "ReadWriteMany") {
		t.Errorf("the volume's access modes %v: the shards mount it at once", vol.Spec.AccessModes)
	}
}

func checkPodHardening(t *testing.T, what string, pod k8sPodSpec, labels map[string]string, policy k8sObject) {
	t.Helper()
	if pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser == 0 {
		t.Errorf("%s: runs as root", what)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Errorf("%s: the submissions' code would get a service account token", what)
	}
	for _, c := range pod.Containers {
		if c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
			t.Errorf("%s: allowPrivilegeEscalation is not false", what)
		}
	}
	for k, v := range policy.Spec.PodSelector.MatchLabels {
		if labels[k] != v {
			t.Errorf("%s: its pods (labels %v) are not selected by the NetworkPolicy (%v)", what, labels, policy.Spec.PodSelector.MatchLabels)
		}
	}
}
