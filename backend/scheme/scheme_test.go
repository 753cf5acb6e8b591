package scheme

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func fakeEnv(dataHome string, ran *[]string) Env {
	return Env{
		Getenv: func(k string) string {
			if k == "XDG_DATA_HOME" {
				return dataHome
			}
			return ""
		},
		LookPath: func(name string) (string, error) { return "/usr/bin/" + name, nil },
		Run: func(name string, args ...string) error {
			*ran = append(*ran, name+" "+strings.Join(args, " "))
			return nil
		},
	}
}

func TestRegisterWritesHandlerOnceAndSetsDefault(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	home := t.TempDir()
	var ran []string
	env := fakeEnv(home, &ran)
	changed, err := Register("/opt/Bank Desk/bankdesk", env)
	if err != nil || !changed {
		t.Fatalf("first register: changed=%v err=%v", changed, err)
	}
	b, err := os.ReadFile(filepath.Join(home, "applications", DesktopFile))
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	for _, want := range []string{`Exec="/opt/Bank Desk/bankdesk" %u`, "MimeType=x-scheme-handler/bankdesk;", "Type=Application"} {
		if !strings.Contains(body, want) {
			t.Errorf("desktop file lacks %q:\n%s", want, body)
		}
	}
	if len(ran) != 2 || ran[1] != "xdg-mime default "+DesktopFile+" x-scheme-handler/bankdesk" {
		t.Fatalf("commands = %q", ran)
	}

	ran = nil
	changed, err = Register("/opt/Bank Desk/bankdesk", env)
	if err != nil || changed || len(ran) != 0 {
		t.Fatalf("second register must be a no-op: changed=%v err=%v ran=%q", changed, err, ran)
	}
	changed, err = Register("/usr/local/bin/bankdesk", env)
	if err != nil || !changed {
		t.Fatalf("moved binary must re-register: changed=%v err=%v", changed, err)
	}
}

func TestPackagedDesktopFileDeclaresScheme(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "build", "linux", "bankdesk.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "MimeType=x-scheme-handler/bankdesk;") || !strings.Contains(string(b), "%u") {
		t.Fatalf("build/linux/bankdesk.desktop does not handle bankdesk:// links:\n%s", b)
	}
}
