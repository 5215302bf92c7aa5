/*
 * catalog.c: what the indicator catalog's trigger needs to know.
 *
 * hs_in_extension_script() is true while CREATE EXTENSION or ALTER EXTENSION
 * ... UPDATE runs the extension's script: only those rows of
 * health_share.indicator may be builtin (docs/model.md, "The indicator
 * catalog").
 */
#include "postgres.h"

#include "commands/extension.h"
#include "fmgr.h"

PG_FUNCTION_INFO_V1(hs_in_extension_script);

Datum
hs_in_extension_script(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(creating_extension);
}
