// Custom scalars: DateTime is an ISO 8601 string on the wire and a Date in resolvers.
import { DateTimeResolver } from "graphql-scalars";
import { builder } from "../builder.ts";

builder.addScalarType("DateTime", DateTimeResolver);
