//go:build unix

package ollamaproc

import (
	"os/exec"
	"syscall"
)

// signalGroup signals Ollama's whole process group, which includes the
// model runners it spawns.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) {
	if cmd.Process == nil {
		return
	}
	if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil {
		cmd.Process.Signal(sig)
	}
}
