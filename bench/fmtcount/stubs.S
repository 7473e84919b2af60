/* SPDX-License-Identifier: GPL-2.0 */
/* What a kernel object calls that user space lacks: return at once. */
	.text
	.globl __fentry__
__fentry__:
	ret
	.globl __x86_return_thunk
__x86_return_thunk:
	ret
	.section .note.GNU-stack,"",@progbits
