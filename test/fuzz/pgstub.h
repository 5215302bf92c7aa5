/* pgstub.h: the fuzz harness's view of pgstub.c */
#ifndef HS_PGSTUB_H
#define HS_PGSTUB_H

extern int	hs_stub_sqlstate;
extern void hs_stub_reset(void);

#endif
