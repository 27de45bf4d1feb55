package ollamaproc

import "syscall"

// sysProcAttr puts Ollama in its own process group and has the kernel stop
// it if shopdesk dies without stopping it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
