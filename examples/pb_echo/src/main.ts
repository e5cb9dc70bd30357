// pb_echo entry point (see issue 5).
export {};
