/*-------------------------------------------------------------------------
 *
 * compat.c
 *	  C symbols of releases 1.0 and 1.1 that 1.2 renamed so that every C
 *	  function carries the name of its SQL function.  The frozen install
 *	  scripts (health_share--1.0.sql, health_share--1.0--1.1.sql) still
 *	  name the old symbols, and so does the catalog of a database that has
 *	  not yet run ALTER EXTENSION UPDATE; each old symbol stays exported
 *	  here and calls the renamed function.  The 1.1 -> 1.2 update script
 *	  points the functions at the new symbols.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

/* HS_RENAMED(old, new): the old symbol, calling new */
#define HS_RENAMED(old, new) \
	extern Datum new(PG_FUNCTION_ARGS); \
	PG_FUNCTION_INFO_V1(old); \
	Datum \
	old(PG_FUNCTION_ARGS) \
	{ \
		return new(fcinfo); \
	}

/* flows */
HS_RENAMED(flow_in, flowmatrix_in)
HS_RENAMED(flow_out, flowmatrix_out)
HS_RENAMED(flow_recv, flowmatrix_recv)
HS_RENAMED(flow_send, flowmatrix_send)
HS_RENAMED(flow_accum_n, flow_accum)
HS_RENAMED(flow_key_to_adcode, flow_key_adcode)

/* equity */
HS_RENAMED(hs_density_index, hr_density_index)
HS_RENAMED(hs_agglomeration_degree, agglomeration_degree)

/* rates */
HS_RENAMED(hs_rate_value, rate_value)
HS_RENAMED(hs_rate_num, rate_num)
HS_RENAMED(hs_rate_den, rate_den)
HS_RENAMED(hs_rate_ci, rate_ci)
HS_RENAMED(hs_rate_public, rate_public)
