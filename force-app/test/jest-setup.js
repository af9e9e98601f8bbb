// Runs before every LWC test file: the sa11y accessibility matcher (expect(element).toBeAccessible()), as in
// lwc-recipes.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
