// Stack module
