"""The generic Jupyter kernel conformance suite (jupyter_kernel_test) run against jparallel.

Every sample below is real Java the kernel answers as stated; attributes for features the kernel
does not have are left unset, so their tests are skipped:
  code_page_something  the kernel sends no pager payloads
  code_clear_output    notebook code has no way to clear its output
"""

import pytest

import jupyter_kernel_test  # used by attribute, so that pytest does not collect KernelTests itself

from conftest import SHUTDOWN_LIMIT, STARTUP_LIMIT, WATCHDOG, forget_kernel, track_kernel


class JParallelKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "jparallel"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("something went wrong");'

    # matches compared as sets, with the cursor at the end of the text
    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": '"abc".len', "matches": {"length()"}},
        {"text": "Integer.toHex", "matches": {"toHexString("}},
        {"text": "%ls", "matches": {"lsmagic"}},
        {"text": "%%ti", "matches": {"time"}},
    ]

    complete_code_samples = [
        "int x = 1;",
        'System.out.println("hi");',
        "void f() { }",
        "record Pair(int a, int b) {}",
        "%lsmagic",
        "%%time\nint y = 2;\n",
    ]
    incomplete_code_samples = [
        "void f() {",
        "for (int i = 0; i < 3; i++) {",
        "int[] a = {1,",
        "class A { void m() {} ",
        "%%time",
        "%%time\nint y = 2;",
    ]
    invalid_code_samples = [
        "int x = ;",
        "}",
        '"abc',
    ]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"hello".toUpperCase()', "result": "HELLO"},
        {"code": "List.of(1, 2, 3)", "result": "[1, 2, 3]"},
        {"code": "new int[] {4, 5}", "result": "[4, 5]"},
        {"code": 'html("<b>bold</b>")', "mime": "text/html", "result": "<b>bold</b>"},
    ]

    code_display_data = [
        {"code": 'display(html("<i>shown</i>"));', "mime": "text/html"},
        {"code": 'display("plain words");', "mime": "text/plain"},
    ]

    # history search takes a glob; this one matches exactly one of code_execute_result
    code_history_pattern = "*toUpperCase*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max(1, 2)"

    @classmethod
    def setUpClass(cls):
        with WATCHDOG.guard(STARTUP_LIMIT, "starting the conformance kernel"):
            super().setUpClass()
        cls._pid = cls.km.provisioner.process.pid
        track_kernel(cls._pid, "conformance")

    @classmethod
    def tearDownClass(cls):
        try:
            with WATCHDOG.guard(SHUTDOWN_LIMIT, "shutting down the conformance kernel"):
                super().tearDownClass()
        finally:
            forget_kernel(cls._pid)

