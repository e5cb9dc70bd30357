// echo-server (see issue 5).
export {};
