//go:build unix

package grading

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// describeOwner says who owns path and with what mode ("/out belongs to root (uid 0, gid 0),
// mode drwxr-xr-x"); "" if it cannot be read.
func describeOwner(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Sprintf("%s has mode %v", path, fi.Mode())
	}
	return fmt.Sprintf("%s belongs to %s (uid %d, gid %d), mode %v", path, userName(int(st.Uid)), st.Uid, st.Gid, fi.Mode())
}

// describeSelf names the user this process runs as.
func describeSelf() string {
	return fmt.Sprintf("%s (uid %d, gid %d)", userName(os.Geteuid()), os.Geteuid(), os.Getegid())
}

func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}
